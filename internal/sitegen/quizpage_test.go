package sitegen

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/quiz"
)

// sampleQuiz reads a quiz of the test repository: the answer key the
// pages are checked against.
func sampleQuiz(t *testing.T, id string) (*quiz.Quiz, string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "repo", "training", "quizzes", id+".md"))
	if err != nil {
		t.Fatal(err)
	}
	d, ds := document.Parse("training/quizzes/"+id+".md", src)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	return quiz.Parse(d), quiz.Version(src)
}

// siteFiles returns every file of the built site by path, gzip files
// (Pagefind's index) uncompressed.
func siteFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
			if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
				if u, err := io.ReadAll(zr); err == nil {
					b = u
				}
			}
		}
		out[p] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// article is the page's document, without the site's chrome.
func article(t *testing.T, page string) string {
	t.Helper()
	i, j := strings.Index(page, "<article"), strings.Index(page, "</article>")
	if i < 0 || j < i {
		t.Fatal("no article in the page")
	}
	return page[i:j]
}

// TestExamPageHoldsNoKey looks for an exam's answer key and explanations
// in the whole built site: every page, script, data and index file.
func TestExamPageHoldsNoKey(t *testing.T) {
	dir, res := builtSample(t)
	q, _ := sampleQuiz(t, "exam-quiz")
	if q.Mode != quiz.Exam {
		t.Fatalf("exam-quiz is a %s quiz", q.Mode)
	}
	page := article(t, readPage(t, "training/quizzes/exam-quiz/index.html"))
	// Every question and option is there to be answered...
	options := 0
	for _, qu := range q.Questions {
		mustContain(t, page, `<h2 id="`+qu.ID+`">`)
		for _, o := range qu.Options {
			mustContain(t, page, `<span class="option-text">`+o.Text+`</span>`)
			options++
		}
	}
	// ...and nothing tells the right ones apart: every option's element
	// is the same but for its place in the file.
	tags := regexp.MustCompile(`<li class="option"[^>]*>`).FindAllString(page, -1)
	if len(tags) != options {
		t.Fatalf("%d option elements, want %d", len(tags), options)
	}
	index := regexp.MustCompile(` data-index="\d+"`)
	for _, tag := range tags {
		if got := index.ReplaceAllString(tag, ""); got != `<li class="option">` {
			t.Errorf("an exam option is marked: %s", tag)
		}
	}
	for _, s := range []string{"checked", "data-correct", "disabled", "<blockquote", "<details", "answer-right", "Right answer"} {
		mustNotContain(t, page, s)
	}
	// No explanation anywhere in the site.
	files := siteFiles(t, dir)
	if res.Search {
		// The search index is read too: it holds the exam's questions.
		indexed := false
		for p, body := range files {
			indexed = indexed || strings.Contains(p, "pagefind") && strings.Contains(body, "Which belong in a postmortem?")
		}
		if !indexed {
			t.Error("the exam's questions are not found in the search index: is it read?")
		}
	}
	for p, body := range files {
		for _, qu := range q.Questions {
			if qu.Explanation == "" {
				t.Fatalf("%s has no explanation to look for", qu.ID)
			}
			if strings.Contains(body, qu.Explanation) || strings.Contains(body, "secretexplain") {
				t.Errorf("%s holds the explanation of %s", p, qu.ID)
			}
		}
	}
}

// TestQuizData checks what sitegen gives Hugo: the exam without its key,
// the practice quiz with it.
func TestQuizData(t *testing.T) {
	work := t.TempDir()
	o := sampleOptions(t, filepath.Join(work, "public"))
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
	if err := prepare(work, &o); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(work, "data", "opsqa", "quizzes.json"))
	if err != nil {
		t.Fatal(err)
	}
	var data map[string]json.RawMessage
	if err := json.Unmarshal(b, &data); err != nil {
		t.Fatal(err)
	}
	exam, practice := string(data["training/quizzes/exam-quiz.md"]), string(data["training/quizzes/basics-quiz.md"])
	if exam == "" || practice == "" {
		t.Fatalf("quizzes.json has %d quizzes", len(data))
	}
	for _, s := range []string{`"correct"`, `"explanation"`, "secretexplain"} {
		if strings.Contains(exam, s) {
			t.Errorf("the exam's data holds %s", s)
		}
	}
	if !strings.Contains(practice, `"correct":true`) || !strings.Contains(practice, `"explanation":"The plan sets`) {
		t.Errorf("the practice quiz's data lacks its key: %s", practice)
	}
}

func TestPracticePageCarriesItsKey(t *testing.T) {
	page := article(t, readPage(t, "training/quizzes/basics-quiz/index.html"))
	mustContain(t, page, `data-mode="practice"`)
	mustContain(t, page, `<li class="option" data-index="1" data-correct><span class="letter">b)</span> <span class="option-text">30 minutes mean</span></li>`)
	mustContain(t, page, `<details class="answer" data-pagefind-ignore><summary>Show the answer</summary><p>Right answer: <strong>a, b</strong></p><div class="explanation"><p>Blameless: record what happened, not who is to blame.</p></div></details>`)
	// Without the file's Markdown: one render of the questions, not two.
	if n := strings.Count(page, "What is the MTTR target?"); n != 1 {
		t.Errorf("the question shows %d times", n)
	}
}

// TestQuizPageReadsWithoutJavaScript: the questions are a list with their
// ids and the file's option letters, and a link opens the result form
// with the quiz and its version filled in, to answer by hand.
func TestQuizPageReadsWithoutJavaScript(t *testing.T) {
	_, version := sampleQuiz(t, "exam-quiz")
	page := article(t, readPage(t, "training/quizzes/exam-quiz/index.html"))
	mustContain(t, page, `Question id <code>postmortem-parts</code> · choose all that apply`)
	mustContain(t, page, `<li class="option" data-index="2"><span class="letter">c)</span> <span class="option-text">Action items</span></li>`)
	mustContain(t, page, `Quiz version <code>`+version+`</code>`)
	mustContain(t, page, `<noscript><p class="notice">Without JavaScript, answer in the quiz-result form`)
	mustContain(t, page, `href="https://github.com/acme/ops/issues/new?labels=quiz-result&amp;quiz_id=exam-quiz&amp;quiz_version=`+version+`&amp;template=quiz-result.yml&amp;title=Quiz+result%3A+On-call+basics+exam"`)
	// Markdown in the texts keeps its form.
	mustContain(t, page, `<h2 id="lint-command">Which <code>opsqa</code> command checks the documents?`)
}

// TestQuizPageWithoutData: a quiz the caller gave no page data for shows
// a notice, never the file.
func TestQuizPageWithoutData(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	o := sampleOptions(t, dest)
	o.Quizzes = nil
	if _, err := Build(context.Background(), o, time.Now); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dest, "training", "quizzes", "basics-quiz", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := article(t, string(b))
	mustContain(t, page, `This quiz could not be read for the site`)
	mustNotContain(t, page, "30 minutes mean")
	mustNotContain(t, page, "checked")
}

// resultURL is the longest result link a quiz's page can build: every
// option of every question chosen, with the parameters quiz.js sets.
func resultURL(base string, d *document.Document) string {
	q := quiz.Parse(d)
	var lines []string
	for _, qu := range q.Questions {
		var letters []string
		for i := range qu.Options {
			letters = append(letters, string(rune('a'+i)))
		}
		lines = append(lines, qu.ID+": "+strings.Join(letters, ","))
	}
	v := url.Values{}
	v.Set("template", "quiz-result.yml")
	v.Set("labels", "quiz-result")
	v.Set("title", "Quiz result: "+d.Title())
	v.Set("quiz_id", q.ID)
	v.Set("quiz_version", quiz.Version(d.Source))
	v.Set("answers", strings.Join(lines, "\n"))
	v.Set("score", fmt.Sprintf("%d/%d (100 %%)", len(q.Questions), len(q.Questions)))
	return base + "?" + v.Encode()
}

// TestResultLinksStayShort: browsers and GitHub take long links, but
// 2 KB is what every one of them takes. The repository's own quizzes
// stay under it in the worst case.
func TestResultLinksStayShort(t *testing.T) {
	root := filepath.Join("..", "..")
	cfg, err := config.Load(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	base := "https://github.com/" + cfg.Repository + "/issues/new"
	files, _ := filepath.Glob(filepath.Join(root, "training", "quizzes", "*.md"))
	if len(files) < 5 {
		t.Fatalf("only %d example quizzes", len(files))
	}
	exams := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := document.Parse("training/quizzes/"+filepath.Base(f), src)
		if quiz.Parse(d).Mode == quiz.Exam {
			exams++
		}
		if u := resultURL(base, d); len(u) >= 2048 {
			t.Errorf("%s: a result link of %d bytes", filepath.Base(f), len(u))
		}
	}
	if exams == 0 {
		t.Error("no example quiz is an exam")
	}
}

// Keyboard helpers: the browser tests answer with Tab, Space, Enter and
// the arrow keys only.

func press(t *testing.T, ctx context.Context, keys string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.KeyEvent(keys)); err != nil {
		t.Fatalf("press %q: %v", keys, err)
	}
}

// tabTo presses Tab until the focused element e satisfies the JavaScript
// condition.
func tabTo(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	js := `(e => !!e && !!(` + cond + `))(document.activeElement)`
	for range 80 {
		if eval[bool](t, ctx, js) {
			return
		}
		press(t, ctx, kb.Tab)
	}
	t.Fatalf("Tab never reached an element where %s", cond)
}

// choose focuses a question's options by keyboard and picks the one whose
// text holds text: arrows move through a radio group and select, Space
// ticks a checkbox.
func choose(t *testing.T, ctx context.Context, question, text string) {
	t.Helper()
	name := fmt.Sprintf("e.name === %q", "quiz-"+question)
	on := fmt.Sprintf(`e.closest("label").textContent.includes(%q)`, text)
	if eval[bool](t, ctx, fmt.Sprintf(`document.querySelector("input[name=quiz-%s]").type === "radio"`, question)) {
		tabTo(t, ctx, name)
		for range 10 {
			if eval[bool](t, ctx, `(e => `+on+`)(document.activeElement)`) {
				break
			}
			press(t, ctx, kb.ArrowDown)
		}
		if !eval[bool](t, ctx, `document.activeElement.checked`) {
			press(t, ctx, " ")
		}
	} else {
		tabTo(t, ctx, name+" && "+on)
		press(t, ctx, " ")
	}
	if !eval[bool](t, ctx, `(e => e.checked && `+on+`)(document.activeElement)`) {
		t.Fatalf("%s: could not choose %q", question, text)
	}
}

func reload(t *testing.T, ctx context.Context) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Reload()); err != nil {
		t.Fatalf("reload: %v", err)
	}
	waitFor(t, ctx, `document.querySelector(".quiz.ready")`)
}

// option is what a trainee sees of one option.
type option struct {
	Text, Mark, Verdict, Border string
	Checked, Disabled           bool
}

func options(t *testing.T, ctx context.Context, question string) []option {
	t.Helper()
	raw := eval[string](t, ctx, fmt.Sprintf(`JSON.stringify([...document.querySelectorAll("section[data-question=%s] label.option")].map(l => ({
		Text: l.querySelector(".option-text").textContent, Mark: l.querySelector(".mark").textContent,
		Verdict: l.querySelector(".visually-hidden").textContent, Border: getComputedStyle(l).borderTopColor,
		Checked: l.querySelector("input").checked, Disabled: l.querySelector("input").disabled})))`, question))
	var out []option
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func feedback(t *testing.T, ctx context.Context, question string) string {
	t.Helper()
	return eval[string](t, ctx, fmt.Sprintf(`(document.querySelector("section[data-question=%s] .feedback-line") || {}).textContent || ""`, question))
}

// The colours of site.css: --ok, --bad and --line.
const okColour, badColour, lineColour = "rgb(27, 107, 42)", "rgb(161, 34, 27)", "rgb(201, 206, 214)"

func TestBrowserPracticeQuiz(t *testing.T) {
	ctx, base := browse(t)
	q, version := sampleQuiz(t, "basics-quiz")
	open(t, ctx, base+"/training/quizzes/basics-quiz/")
	waitFor(t, ctx, `document.querySelector(".quiz.ready")`)
	// Progress on another version of the quiz is not restored, and dropped.
	old := "opsqa-quiz:basics-quiz:000000000000"
	eval[bool](t, ctx, `localStorage.setItem("`+old+`", JSON.stringify({answers: {"mttr-target": [1]}, checked: {"mttr-target": true}})), true`)
	reload(t, ctx)
	if eval[bool](t, ctx, `[...document.querySelectorAll(".quiz input")].some(i => i.checked) || localStorage.getItem("`+old+`") !== null`) {
		t.Error("answers to another version of the quiz restored or kept")
	}
	// The answer the page shows without JavaScript is gone, and the
	// explanation waits for the check.
	if eval[bool](t, ctx, `!!document.querySelector(".quiz details.answer") || document.querySelector(".quiz .explain").offsetHeight > 0`) {
		t.Error("answer or explanation shown before checking")
	}

	// A wrong answer: the first option, with Space.
	tabTo(t, ctx, `e.name === "quiz-mttr-target"`)
	press(t, ctx, " ")
	if got := eval[string](t, ctx, `(l => { const s = getComputedStyle(l); return s.outlineStyle + " " + s.outlineWidth })(document.activeElement.closest("label"))`); got != "solid 3px" {
		t.Errorf("focused option's outline = %q, want a visible one", got)
	}
	// Progress is kept under the quiz's id and version.
	if keys := eval[[]string](t, ctx, `Object.keys(localStorage)`); !slices.Equal(keys, []string{"opsqa-quiz:basics-quiz:" + version}) {
		t.Errorf("progress kept under %q", keys)
	}
	tabTo(t, ctx, `e.matches("section[data-question=mttr-target] button.check")`)
	press(t, ctx, kb.Enter)
	if got := feedback(t, ctx, "mttr-target"); got != "✗ Not correct: ✓ marks the right answers, ✗ a wrong choice." {
		t.Errorf("feedback on a wrong answer = %q", got)
	}
	got := options(t, ctx, "mttr-target")
	want := []option{
		{Text: "10 minutes mean", Mark: "✗", Verdict: " (your choice, not right)", Border: badColour, Checked: true, Disabled: true},
		{Text: "30 minutes mean", Mark: "✓", Verdict: " (right answer)", Border: okColour, Disabled: true},
		{Text: "4 hours median", Border: lineColour, Disabled: true},
	}
	if !slices.Equal(got, want) {
		t.Errorf("options after a wrong answer:\n got %+v\nwant %+v", got, want)
	}
	if got := eval[string](t, ctx, `(e => e.offsetHeight > 0 ? e.textContent : "")(document.querySelector("section[data-question=mttr-target] .explain"))`); got != "The plan sets a mean of 30 minutes or less." {
		t.Errorf("explanation after checking = %q", got)
	}

	// Two of the second question's options, then a reload mid-quiz.
	choose(t, ctx, "incident-fields", "The affected service")
	choose(t, ctx, "incident-fields", "The severity")
	reload(t, ctx)
	if got := options(t, ctx, "incident-fields"); !got[0].Checked || !got[1].Checked || got[2].Checked || got[0].Disabled {
		t.Errorf("after a reload the second question is %+v", got)
	}
	if got := feedback(t, ctx, "mttr-target"); !strings.HasPrefix(got, "✗ Not correct") || !options(t, ctx, "mttr-target")[0].Disabled {
		t.Errorf("after a reload the checked question reads %q", got)
	}
	if !eval[bool](t, ctx, `[...document.querySelectorAll(".quiz-result p")].some(p => !p.hidden && p.textContent.includes("restored"))`) {
		t.Error("no word that the answers were restored")
	}

	// A right answer.
	tabTo(t, ctx, `e.matches("section[data-question=incident-fields] button.check")`)
	press(t, ctx, kb.Enter)
	if got := feedback(t, ctx, "incident-fields"); got != "✓ Correct." {
		t.Errorf("feedback on a right answer = %q", got)
	}
	if got := options(t, ctx, "incident-fields"); got[0].Mark != "✓" || got[1].Mark != "✓" || got[2].Mark != "" || got[0].Border != okColour {
		t.Errorf("options after a right answer: %+v", got)
	}

	// Targets of at least 24 by 24 pixels.
	if small := eval[[]string](t, ctx, `[...document.querySelectorAll(".quiz label.option, .quiz input, .quiz button")]
		.filter(e => e.offsetParent && (e.getBoundingClientRect().width < 24 || e.getBoundingClientRect().height < 24)).map(e => e.outerHTML.slice(0, 60))`); len(small) > 0 {
		t.Errorf("targets under 24 px: %v", small)
	}

	tabTo(t, ctx, `e.matches("button.finish")`)
	press(t, ctx, kb.Enter)
	if got := eval[string](t, ctx, `document.querySelector(".quiz-score").textContent`); got != "Score: 50 % (1 of 2). Not passed yet: read the module again and retry." {
		t.Errorf("score = %q", got)
	}
	if !eval[bool](t, ctx, `document.activeElement.matches("a.submit-result")`) {
		t.Error("focus is not on the result link")
	}
	u, err := url.Parse(eval[string](t, ctx, `document.querySelector("a.submit-result").href`))
	if err != nil {
		t.Fatal(err)
	}
	p := u.Query()
	if u.Host != "github.com" || u.Path != "/acme/ops/issues/new" || p.Get("template") != "quiz-result.yml" || p.Get("labels") != "quiz-result" ||
		p.Get("quiz_id") != "basics-quiz" || p.Get("quiz_version") != version || p.Get("score") != "1/2 (50 %)" ||
		p.Get("answers") != "mttr-target: a\nincident-fields: a,b" {
		t.Errorf("result link = %s", u)
	}
	answers, err := quiz.ParseAnswers(p.Get("answers"))
	if err != nil {
		t.Fatal(err)
	}
	if r := quiz.Grade(q, answers); r.Score != 50 || eval[string](t, ctx, `document.querySelector(".quiz-result").dataset.score`) != "50" {
		t.Errorf("the record grades %+v", r)
	}
	noCSPViolations(t, ctx)
	axeCheck(t, ctx)

	// Reset clears the answers, here and after a reload.
	tabTo(t, ctx, `e.matches("button.reset")`)
	press(t, ctx, kb.Enter)
	clear := `[...document.querySelectorAll(".quiz input")].every(i => !i.checked && !i.disabled) &&
		[...document.querySelectorAll(".quiz .feedback-line")].every(l => l.textContent === "") &&
		[...document.querySelectorAll(".quiz .explain")].every(e => e.hidden) &&
		document.querySelector(".quiz-send").hidden && document.querySelector(".quiz-score").textContent === ""`
	if !eval[bool](t, ctx, clear) {
		t.Error("reset left answers or feedback")
	}
	reload(t, ctx)
	if !eval[bool](t, ctx, clear) {
		t.Error("answers came back after a reset and a reload")
	}
}

// TestBrowserQuizGradesAsTheRecord answers two of three questions right
// on a quiz whose pass mark is 67: the page must show 66 % and a fail, as
// quiz.Grade computes from the answer key, not the 67 % and pass that
// rounding to the nearest would give.
func TestBrowserQuizGradesAsTheRecord(t *testing.T) {
	ctx, base := browse(t)
	q, _ := sampleQuiz(t, "rounding-quiz")
	open(t, ctx, base+"/training/quizzes/rounding-quiz/")
	waitFor(t, ctx, `document.querySelector(".quiz.ready")`)
	fs := `document.querySelectorAll(".quiz section.question")`
	for i, option := range []int{0, 0, 1} { // right, right, wrong
		eval[bool](t, ctx, fmt.Sprintf(`%s[%d].querySelectorAll("input")[%d].click(), true`, fs, i, option))
	}
	eval[bool](t, ctx, `document.querySelector("button.finish").click(), true`)
	waitFor(t, ctx, `!document.querySelector(".quiz-send").hidden`)
	box := `document.querySelector(".quiz-result")`
	score, passed := eval[string](t, ctx, box+`.dataset.score`), eval[string](t, ctx, box+`.dataset.passed`)
	u, err := url.Parse(eval[string](t, ctx, `document.querySelector("a.submit-result").href`))
	if err != nil {
		t.Fatal(err)
	}
	answers, err := quiz.ParseAnswers(u.Query().Get("answers"))
	if err != nil {
		t.Fatal(err)
	}
	rec := quiz.Grade(q, answers)
	if rec.Correct != 2 || rec.Score != 66 || rec.Passed {
		t.Fatalf("quiz.Grade = %+v, want 2 right, 66, failed", rec)
	}
	if score != fmt.Sprint(rec.Score) || passed != fmt.Sprint(rec.Passed) {
		t.Errorf("page grades %s %%, passed %s; the record grades %d %%, passed %v", score, passed, rec.Score, rec.Passed)
	}
	if got := u.Query().Get("score"); got != "2/3 (66 %)" {
		t.Errorf("result link states score %q", got)
	}
}

func TestBrowserExam(t *testing.T) {
	ctx, base := browse(t)
	q, version := sampleQuiz(t, "exam-quiz")
	open(t, ctx, base+"/training/quizzes/exam-quiz/")
	waitFor(t, ctx, `document.querySelector(".quiz.ready")`)
	if eval[bool](t, ctx, `!!document.querySelector(".quiz button.check, .quiz .explain, .quiz .letter")`) {
		t.Error("an exam with check buttons, explanations or (shuffled) letters")
	}
	order := `JSON.stringify([...document.querySelectorAll(".quiz fieldset")].map(f => [...f.querySelectorAll("input")].map(i => i.value)))`
	shown := eval[string](t, ctx, order)

	// A blank exam cannot be submitted: the page says what is missing.
	tabTo(t, ctx, `e.matches("button.finish")`)
	if got := eval[string](t, ctx, `document.activeElement.textContent`); got != "Submit answers" {
		t.Errorf("submit button reads %q", got)
	}
	press(t, ctx, kb.Enter)
	missing := `[...document.querySelectorAll(".quiz-missing li")].map(l => l.textContent)`
	if got := eval[[]string](t, ctx, missing); len(got) != 3 || !eval[bool](t, ctx, `document.querySelector(".quiz-send").hidden && document.activeElement.matches(".quiz-missing")`) {
		t.Errorf("blank exam: missing %v, and the link shows or focus is elsewhere", got)
	}

	choose(t, ctx, "lint-command", "opsqa lint")
	choose(t, ctx, "postmortem-parts", "A timeline")
	choose(t, ctx, "postmortem-parts", "Action items")
	tabTo(t, ctx, `e.matches("button.finish")`)
	press(t, ctx, kb.Enter)
	if got := eval[[]string](t, ctx, missing); !slices.Equal(got, []string{"Who approves a normal change?"}) {
		t.Errorf("missing = %v", got)
	}
	if eval[bool](t, ctx, `!document.querySelector(".quiz-send").hidden`) {
		t.Error("an incomplete exam can be submitted")
	}
	// The missing question's link leads to it.
	tabTo(t, ctx, `e.matches(".quiz-missing a")`)
	press(t, ctx, kb.Enter)
	choose(t, ctx, "approver", "Nobody")
	tabTo(t, ctx, `e.matches("button.finish")`)
	press(t, ctx, kb.Enter)
	if !eval[bool](t, ctx, `document.activeElement.matches("a.submit-result")`) {
		t.Fatal("focus is not on the result link")
	}
	href := eval[string](t, ctx, `document.activeElement.href`)
	if len(href) >= 2048 {
		t.Errorf("result link of %d bytes", len(href))
	}
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	// The letters are the file's, found from the texts chosen on screen.
	letter := func(question, text string) string {
		for _, qu := range q.Questions {
			for i, o := range qu.Options {
				if qu.ID == question && o.Text == text {
					return string(rune('a' + i))
				}
			}
		}
		t.Fatalf("no option %q in %s", text, question)
		return ""
	}
	want := "lint-command: " + letter("lint-command", "opsqa lint") + "\n" +
		"postmortem-parts: " + letter("postmortem-parts", "A timeline") + "," + letter("postmortem-parts", "Action items") + "\n" +
		"approver: " + letter("approver", "Nobody")
	p := u.Query()
	if p.Get("quiz_id") != "exam-quiz" || p.Get("quiz_version") != version || p.Get("template") != "quiz-result.yml" ||
		p.Get("answers") != want || strings.Count(p.Get("answers"), "\n") != len(q.Questions)-1 || p.Has("score") {
		t.Errorf("result link = %s\nanswers %q, want %q", href, p.Get("answers"), want)
	}
	// No verdict of the page's own.
	if eval[bool](t, ctx, `!!document.querySelector(".quiz .answer-right, .quiz .answer-wrong, .quiz .feedback-line, .quiz [data-score]") || document.querySelector(".quiz-score").textContent !== ""`) {
		t.Error("the exam gives feedback or a score")
	}
	noCSPViolations(t, ctx)
	axeCheck(t, ctx)

	// A reload keeps the order shown, the answers and the link.
	reload(t, ctx)
	if got := eval[string](t, ctx, order); got != shown {
		t.Errorf("options reordered by a reload: %s, then %s", shown, got)
	}
	if got := eval[string](t, ctx, `document.querySelector("a.submit-result").href`); got != href {
		t.Errorf("after a reload the link is %s", got)
	}
	// Changing an answer takes the link away until submitted again.
	choose(t, ctx, "approver", "The CAB")
	if eval[bool](t, ctx, `!document.querySelector(".quiz-send").hidden`) {
		t.Error("a changed exam keeps its old link")
	}
}

// TestBrowserExamWithoutJavaScript reads an exam with scripts off: a list
// to answer by hand, with no key.
func TestBrowserExamWithoutJavaScript(t *testing.T) {
	ctx, base := browse(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, base+"/training/quizzes/exam-quiz/")
	text := eval[string](t, ctx, `document.querySelector("main").innerText`)
	for _, s := range []string{"Question id lint-command · choose one", "a) opsqa build", "b) opsqa lint", "Open the quiz-result form"} {
		if !strings.Contains(text, s) {
			t.Errorf("without JavaScript the page lacks %q", s)
		}
	}
	if eval[bool](t, ctx, `!!document.querySelector(".quiz.ready, .quiz input")`) {
		t.Error("the script ran")
	}
}
