// Turns a quiz page into a form. The page shows what quiz.PageOf lets it
// show: a practice quiz carries its answer key (data-correct) and its
// explanations, for feedback per question; an exam carries neither, and
// its answers go to a prefilled quiz-result issue to be graded from the
// repository. Either way the issue holds one line per question, "id: a,c",
// with letters in the file's order (a is the first option written), as
// quiz.ParseAnswers reads them, whatever order the page shuffled them in.
// Progress is kept in localStorage under the quiz's id and version: a
// reload keeps it, a new version of the quiz starts fresh.
(function () {
  "use strict";
  var root = document.querySelector("[data-quiz]");
  if (!root) return;
  var t = function (k) { return root.getAttribute("data-t-" + k) || k; };
  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  var exam = root.getAttribute("data-mode") !== "practice";
  var shuffle = root.getAttribute("data-shuffle") === "true";
  var quizId = root.getAttribute("data-quiz");
  var prefix = "opsqa-quiz:" + quizId + ":";
  var storeKey = prefix + root.getAttribute("data-version");

  // The stored state: chosen option indexes by question id, the questions
  // checked (practice), the order shown, and whether the quiz was finished.
  function fresh() { return { answers: {}, checked: {}, order: {}, finished: false }; }
  var store = (function () {
    try {
      // Progress on another version of this quiz is dropped: its
      // questions and options may have changed.
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf(prefix) === 0 && k !== storeKey) localStorage.removeItem(k);
      }
      var s = JSON.parse(localStorage.getItem(storeKey) || "null");
      if (s && typeof s === "object") {
        var f = fresh();
        ["answers", "checked", "order"].forEach(function (k) { if (s[k] && typeof s[k] === "object") f[k] = s[k]; });
        f.finished = s.finished === true;
        return f;
      }
    } catch (e) { /* storage off or unreadable: start fresh */ }
    return fresh();
  })();
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(store)); } catch (e) { /* progress is not kept */ }
  }
  var restored = Object.keys(store.answers).length > 0;

  function shuffled(a) {
    a = a.slice();
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var tmp = a[i]; a[i] = a[j]; a[j] = tmp;
    }
    return a;
  }
  function sameSet(a, b) {
    return a.length === b.length && a.slice().sort().join(",") === b.slice().sort().join(",");
  }

  var questions = [];
  root.querySelectorAll("section.question").forEach(function (sec) {
    var id = sec.getAttribute("data-question");
    var heading = sec.querySelector("h2");
    var list = sec.querySelector("ol.options");
    if (!id || !heading || !list) return;
    var multiple = sec.getAttribute("data-multiple") === "true";
    var fieldset = el("fieldset", "options");
    // The question's heading names the group; it stays a heading so the
    // page outline and its anchor keep working.
    fieldset.setAttribute("aria-labelledby", heading.id);
    var q = { id: id, section: sec, heading: heading, fieldset: fieldset, options: [], key: [] };
    list.querySelectorAll(":scope > li").forEach(function (li) {
      var index = parseInt(li.getAttribute("data-index"), 10);
      if (!exam && li.hasAttribute("data-correct")) q.key.push(index);
      var o = { index: index, label: el("label", "option"), input: el("input"), mark: el("span", "mark"), verdict: el("span", "visually-hidden") };
      o.input.type = multiple ? "checkbox" : "radio";
      o.input.name = "quiz-" + id;
      o.input.value = String(index);
      o.mark.setAttribute("aria-hidden", "true");
      o.label.appendChild(o.input);
      // The letters are the file's order: shown only where that is the
      // order on screen.
      var letter = li.querySelector(".letter");
      if (letter && !shuffle) o.label.appendChild(letter);
      o.label.appendChild(li.querySelector(".option-text") || el("span"));
      o.label.appendChild(o.mark);
      o.label.appendChild(o.verdict);
      o.input.checked = (store.answers[id] || []).indexOf(index) >= 0;
      o.input.addEventListener("change", function () { changed(q); });
      q.options.push(o);
    });
    list.replaceWith(fieldset);
    var order = store.order[id];
    var indexes = q.options.map(function (o) { return o.index; });
    if (!Array.isArray(order) || !sameSet(order.map(String), indexes.map(String))) order = null;
    place(q, order || (shuffle ? shuffled(indexes) : indexes));
    if (!exam) {
      // The answer shown without JavaScript would give the key away
      // before checking: its explanation is shown after checking instead.
      var details = sec.querySelector("details.answer");
      var text = details && details.querySelector(".explanation");
      if (text) {
        q.explain = el("div", "explain");
        q.explain.appendChild(text);
        q.explain.hidden = true;
      }
      if (details) details.remove();
      q.button = el("button", "check", t("check"));
      q.button.type = "button";
      q.line = el("p", "feedback-line");
      q.line.setAttribute("role", "status");
      q.line.tabIndex = -1;
      q.button.addEventListener("click", function () { check(q, true); });
      sec.appendChild(q.button);
      sec.appendChild(q.line);
      if (q.explain) sec.appendChild(q.explain);
      if (store.checked[id]) check(q, false);
    }
    questions.push(q);
  });
  if (!questions.length) return;

  function place(q, order) {
    store.order[q.id] = order;
    order.forEach(function (i) {
      q.options.forEach(function (o) { if (o.index === i) q.fieldset.appendChild(o.label); });
    });
  }
  function chosen(q) {
    return q.options.filter(function (o) { return o.input.checked; })
      .map(function (o) { return o.index; }).sort(function (a, b) { return a - b; });
  }
  function changed(q) {
    store.answers[q.id] = chosen(q);
    // Answers changed after a submission make its link stale.
    store.finished = false;
    save();
    send.hidden = true;
    out.textContent = "";
  }

  // check gives a practice question its feedback, in words and marks
  // rather than colour alone: ✓ on the right answers, ✗ on a wrong
  // choice. The first answer checked is the one that counts: the
  // question is locked until the quiz starts again.
  function check(q, byUser) {
    var c = chosen(q);
    if (!c.length) {
      q.line.textContent = t("unanswered");
      q.line.className = "feedback-line";
      return;
    }
    var right = sameSet(c, q.key);
    q.correct = right;
    q.line.textContent = "";
    var icon = el("span", "icon", right ? "✓" : "✗");
    icon.setAttribute("aria-hidden", "true");
    q.line.appendChild(icon);
    q.line.appendChild(document.createTextNode(" " + t(right ? "correct" : "incorrect")));
    q.line.className = "feedback-line " + (right ? "correct" : "incorrect");
    q.options.forEach(function (o) {
      var isKey = q.key.indexOf(o.index) >= 0, picked = o.input.checked;
      o.label.classList.toggle("answer-right", isKey);
      o.label.classList.toggle("answer-wrong", picked && !isKey);
      o.mark.textContent = isKey ? "✓" : picked ? "✗" : "";
      o.verdict.textContent = isKey ? " (" + t("right-option") + ")" : picked ? " (" + t("wrong-pick") + ")" : "";
      o.input.disabled = true;
    });
    q.button.hidden = true;
    if (q.explain) q.explain.hidden = false;
    store.checked[q.id] = true;
    if (byUser) {
      save();
      // The button is gone: focus goes on to what it told.
      q.line.focus();
    }
  }

  var box = el("section", "quiz-result");
  var note = el("p", "muted", t("restored"));
  note.hidden = !restored;
  var actions = el("p", "quiz-actions");
  var finish = el("button", "finish", t(exam ? "submit" : "finish"));
  finish.type = "button";
  var reset = el("button", "reset secondary", t("reset"));
  reset.type = "button";
  actions.appendChild(finish);
  actions.appendChild(document.createTextNode(" "));
  actions.appendChild(reset);
  var missing = el("div", "quiz-missing notice");
  missing.setAttribute("role", "alert");
  missing.tabIndex = -1;
  missing.hidden = true;
  var out = el("p", "quiz-score");
  out.setAttribute("role", "status");
  var send = el("div", "quiz-send");
  send.hidden = true;
  var link = el("a", "submit-result", t("send"));
  var answersText = el("pre", "answers");
  box.appendChild(note);
  box.appendChild(actions);
  box.appendChild(missing);
  box.appendChild(out);
  box.appendChild(send);
  root.appendChild(box);
  root.classList.add("ready");

  // The result that counts is the one quiz.Grade re-grades from the
  // repository, so the page computes exactly what it does: the share of
  // questions answered exactly right, as a whole percentage rounded down,
  // and a pass needs at least one question and a score of at least the
  // pass mark. Rounding to the nearest would show 2 of 3 as 67 % and pass
  // a mark of 67 that the record fails.
  var passMark = (function (s) {
    // As strconv.Atoi reads it: anything but an integer is 0.
    return /^[+-]?[0-9]+$/.test(s || "") ? parseInt(s, 10) : 0;
  })(root.getAttribute("data-pass-mark"));
  function grade(right, total) {
    var score = total > 0 ? Math.floor(100 * right / total) : 0;
    return { score: score, passed: total > 0 && score >= passMark };
  }

  // complete shows the result and the link to submit it, once every
  // question has an answer: a blank submission says nothing.
  function complete(byUser) {
    var blank = questions.filter(function (q) { return !chosen(q).length; });
    missing.hidden = !blank.length;
    send.hidden = true;
    out.textContent = "";
    if (blank.length) {
      missing.textContent = t("missing");
      var ul = el("ul");
      blank.forEach(function (q) {
        var a = el("a");
        a.href = "#" + q.heading.id;
        var h = q.heading.cloneNode(true);
        h.querySelectorAll(".anchor").forEach(function (x) { x.remove(); });
        a.textContent = h.textContent.trim();
        var li = el("li");
        li.appendChild(a);
        ul.appendChild(li);
      });
      missing.appendChild(ul);
      if (byUser) missing.focus();
      return;
    }
    var p = new URLSearchParams();
    p.set("template", root.getAttribute("data-form") || "quiz-result.yml");
    p.set("labels", root.getAttribute("data-label") || "quiz-result");
    p.set("title", t("title"));
    p.set("quiz_id", quizId);
    p.set("quiz_version", root.getAttribute("data-version"));
    var answers = questions.map(function (q) {
      return q.id + ": " + chosen(q).map(function (i) { return String.fromCharCode(97 + i); }).join(",");
    }).join("\n");
    p.set("answers", answers);
    send.textContent = "";
    if (exam) {
      // No score: only the grade from the repository counts.
      send.appendChild(el("p", "", t("exam-ready")));
    } else {
      questions.forEach(function (q) { if (!store.checked[q.id]) check(q, false); });
      var right = questions.filter(function (q) { return q.correct; }).length;
      var g = grade(right, questions.length);
      box.setAttribute("data-correct", String(right));
      box.setAttribute("data-total", String(questions.length));
      box.setAttribute("data-score", String(g.score));
      box.setAttribute("data-passed", String(g.passed));
      out.textContent = t("score").replace("{score}", String(g.score)).replace("{right}", String(right))
        .replace("{total}", String(questions.length)) + " " + t(g.passed ? "passed" : "failed");
      p.set("score", right + "/" + questions.length + " (" + g.score + " %)");
    }
    var base = root.getAttribute("data-issue-url");
    if (base) {
      link.href = base + "?" + p.toString();
      send.appendChild(link);
    }
    answersText.textContent = answers;
    send.appendChild(answersText);
    send.hidden = false;
    store.finished = true;
    save();
    if (byUser && base) link.focus();
  }

  finish.addEventListener("click", function () { complete(true); });
  reset.addEventListener("click", function () {
    try { localStorage.removeItem(storeKey); } catch (e) { /* nothing kept */ }
    store = fresh();
    questions.forEach(function (q) {
      q.correct = false;
      q.options.forEach(function (o) {
        o.input.checked = false;
        o.input.disabled = false;
        o.label.classList.remove("answer-right", "answer-wrong");
        o.mark.textContent = "";
        o.verdict.textContent = "";
      });
      if (q.button) {
        q.button.hidden = false;
        q.line.textContent = "";
        q.line.className = "feedback-line";
      }
      if (q.explain) q.explain.hidden = true;
      var indexes = q.options.map(function (o) { return o.index; });
      place(q, shuffle ? shuffled(indexes) : indexes);
    });
    note.hidden = true;
    missing.hidden = true;
    send.hidden = true;
    out.textContent = "";
    ["data-correct", "data-total", "data-score", "data-passed"].forEach(function (a) { box.removeAttribute(a); });
  });

  if (store.finished) complete(false);
  save();
})();
