// Turns a quiz page (a heading per question, a task list of options, a
// blockquote explanation) into a form with feedback per question and a
// link that opens a prefilled quiz-result issue. The ticked options in the
// page are the answer key; results are re-graded from the repository, so
// nothing here is trusted.
(function () {
  "use strict";
  var root = document.querySelector("[data-quiz]");
  if (!root) return;
  var t = function (k) { return root.getAttribute("data-t-" + k) || k; };
  var questions = [];
  var headings = root.querySelectorAll("h2");
  headings.forEach(function (h, qi) {
    var list = null, explain = null;
    for (var el = h.nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) {
      if (!list && (el.tagName === "OL" || el.tagName === "UL") && el.querySelector("input[type=checkbox]")) list = el;
      else if (list && !explain && el.tagName === "BLOCKQUOTE") explain = el;
    }
    if (!list) return;
    var single = list.tagName === "OL";
    var id = h.id || ("q" + (qi + 1));
    var key = [];
    var fieldset = document.createElement("fieldset");
    // The question's heading names the group; it stays a heading so the
    // page outline and its anchor keep working.
    if (!h.id) h.id = id;
    fieldset.setAttribute("aria-labelledby", h.id);
    var options = [];
    list.querySelectorAll(":scope > li").forEach(function (li, oi) {
      var box = li.querySelector("input[type=checkbox]");
      if (!box) return;
      if (box.hasAttribute("checked")) key.push(oi);
      box.remove();
      var label = document.createElement("label");
      label.className = "option";
      var input = document.createElement("input");
      input.type = single ? "radio" : "checkbox";
      input.name = "quiz-" + id;
      input.value = String(oi);
      label.appendChild(input);
      label.appendChild(document.createTextNode(" "));
      while (li.firstChild) label.appendChild(li.firstChild);
      options.push({ index: oi, label: label, input: input });
    });
    if (root.getAttribute("data-shuffle") === "true") {
      for (var i = options.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var tmp = options[i]; options[i] = options[j]; options[j] = tmp;
      }
    }
    options.forEach(function (o) { fieldset.appendChild(o.label); });
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = t("check");
    var line = document.createElement("p");
    line.className = "feedback-line";
    line.setAttribute("role", "status");
    line.setAttribute("aria-live", "polite");
    fieldset.appendChild(button);
    fieldset.appendChild(line);
    list.replaceWith(fieldset);
    var q = { id: id, key: key, options: options, line: line, explain: explain, answered: false, correct: false };
    button.addEventListener("click", function () { grade(q); summary(); });
    questions.push(q);
  });
  if (!questions.length) return;
  root.classList.add("ready");

  function chosen(q) {
    return q.options.filter(function (o) { return o.input.checked; }).map(function (o) { return o.index; }).sort(function (a, b) { return a - b; });
  }
  function grade(q) {
    var c = chosen(q);
    if (!c.length) { q.line.textContent = t("unanswered"); q.line.className = "feedback-line"; return; }
    q.answered = true;
    q.correct = c.join(",") === q.key.slice().sort(function (a, b) { return a - b; }).join(",");
    q.line.textContent = q.correct ? t("correct") : t("incorrect");
    q.line.className = "feedback-line " + (q.correct ? "correct" : "incorrect");
    q.options.forEach(function (o) {
      o.label.classList.toggle("answer-right", q.key.indexOf(o.index) >= 0);
      o.label.classList.toggle("answer-wrong", o.input.checked && q.key.indexOf(o.index) < 0);
    });
    if (q.explain) q.explain.classList.add("shown");
  }

  var box = document.createElement("section");
  box.className = "quiz-result";
  box.setAttribute("aria-live", "polite");
  var finish = document.createElement("button");
  finish.type = "button";
  finish.textContent = t("finish");
  var out = document.createElement("p");
  var submit = document.createElement("a");
  submit.className = "submit-result";
  submit.textContent = t("submit");
  submit.hidden = true;
  box.appendChild(finish); box.appendChild(out); box.appendChild(submit);
  root.appendChild(box);
  finish.addEventListener("click", function () { questions.forEach(grade); summary(true); });

  // The result that counts is the one quiz.Grade re-grades from the
  // repository, so the page computes exactly what it does: the score is
  // the share of questions answered exactly right, as a whole percentage
  // rounded down (integer division), and a pass needs at least one
  // question and a score of at least the pass mark. Rounding to the
  // nearest would show 2 of 3 as 67 % and pass a mark of 67 that the
  // record fails.
  var passMark = wholeNumber(root.getAttribute("data-pass-mark"));
  function wholeNumber(s) {
    // As strconv.Atoi reads it: anything but an integer is 0.
    return /^[+-]?[0-9]+$/.test(s || "") ? parseInt(s, 10) : 0;
  }
  function gradeAll(right, total) {
    var score = total > 0 ? (100 * right - (100 * right) % total) / total : 0;
    return { score: score, passed: total > 0 && score >= passMark };
  }

  function summary(final) {
    var done = questions.filter(function (q) { return q.answered; });
    if (!final && done.length < questions.length) return;
    var right = questions.filter(function (q) { return q.correct; }).length;
    var total = questions.length;
    var g = gradeAll(right, total);
    var score = g.score, pass = g.passed;
    box.setAttribute("data-correct", String(right));
    box.setAttribute("data-total", String(total));
    box.setAttribute("data-pass-mark", String(passMark));
    box.setAttribute("data-score", String(score));
    box.setAttribute("data-passed", String(pass));
    out.textContent = t("score").replace("{score}", String(score)).replace("{right}", String(right)).replace("{total}", String(total)) + " " + (pass ? t("passed") : t("failed"));
    // The form the answer key re-grades from (quiz.ParseAnswers): "id: a,b; id2: c".
    var answers = questions.map(function (q) { return q.id + ": " + chosen(q).map(function (i) { return String.fromCharCode(97 + i); }).join(","); }).join("; ");
    var base = root.getAttribute("data-issue-url");
    if (base) {
      var p = new URLSearchParams();
      p.set("template", "quiz-result.yml");
      p.set("labels", root.getAttribute("data-label") || "quiz-result");
      p.set("title", t("title"));
      p.set("quiz_id", root.getAttribute("data-quiz"));
      p.set("answers", answers);
      p.set("score", String(score));
      submit.href = base + "?" + p.toString();
      submit.hidden = false;
    }
  }
})();
