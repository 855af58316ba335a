package browser

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/go-rod/rod/lib/proto"
)

// eval runs the JavaScript function fn with args in the page's main frame,
// awaits its promise, and decodes its JSON result into out (if not nil). An
// exception thrown by fn becomes an error with its message.
func (s *session) eval(ctx context.Context, out any, fn string, args ...any) error {
	wait := time.Minute
	if d, ok := ctx.Deadline(); ok {
		wait = time.Until(d) + time.Second // let Go's deadline win, then clean up
	}
	var expr strings.Builder
	expr.WriteString("(() => {\nconst waitFor = ")
	expr.WriteString(waitForScript)
	expr.WriteString(";\nconst waitMillis = ")
	expr.WriteString(strconv.FormatInt(wait.Milliseconds(), 10))
	expr.WriteString(";\nreturn (")
	expr.WriteString(fn)
	expr.WriteString(")(")
	for i, a := range args {
		if i > 0 {
			expr.WriteString(", ")
		}
		j, err := json.Marshal(a)
		if err != nil {
			return err
		}
		expr.Write(j)
	}
	expr.WriteString(");\n})()")
	res, err := proto.RuntimeEvaluate{Expression: expr.String(), AwaitPromise: true,
		ReturnByValue: true, UserGesture: true}.Call(s.page.Context(ctx))
	if err != nil {
		return err
	}
	if ex := res.ExceptionDetails; ex != nil {
		msg := ex.Text
		if ex.Exception != nil && ex.Exception.Description != "" {
			msg = ex.Exception.Description
		}
		msg, _, _ = strings.Cut(msg, "\n    at ") // drop the stack
		return errors.New(strings.TrimPrefix(msg, "Error: "))
	}
	if out == nil || res.Result == nil {
		return nil
	}
	raw, err := json.Marshal(res.Result.Value)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, out)
}

// waitForScript resolves to the first element matching sel, waiting for it
// with a MutationObserver (no polling). An invalid selector rejects at once.
const waitForScript = `(sel) => new Promise((resolve, reject) => {
	const found = document.querySelector(sel);
	if (found) return resolve(found);
	const mo = new MutationObserver(() => {
		const el = document.querySelector(sel);
		if (el) { mo.disconnect(); clearTimeout(timer); resolve(el); }
	});
	mo.observe(document, {childList: true, subtree: true, attributes: true});
	const timer = setTimeout(() => { mo.disconnect(); reject(new Error('no element matches ' + sel)); }, waitMillis);
})`

// fillScript prepares the field for typing and reports whether the caller
// must type (Input.insertText) or the value was set directly.
const fillScript = `async (sel, value) => {
	const el = await waitFor(sel);
	const what = '<' + el.tagName.toLowerCase() + (el.type ? ' type=' + el.type : '') + '>';
	const fire = () => {
		el.dispatchEvent(new Event('input', {bubbles: true}));
		el.dispatchEvent(new Event('change', {bubbles: true}));
	};
	if (el instanceof HTMLSelectElement) {
		if (el.disabled) throw new Error(what + ' is disabled');
		el.value = value;
		if (el.value !== value) throw new Error(what + ' has no option with that value');
		fire();
		return false;
	}
	if (el instanceof HTMLInputElement && el.type === 'hidden') {
		el.value = value;
		fire();
		return false;
	}
	const text = el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement &&
		!['checkbox', 'radio', 'submit', 'button', 'reset', 'image', 'file', 'color', 'range'].includes(el.type));
	if (!text) throw new Error(what + ' is not a text field');
	if (el.disabled) throw new Error(what + ' is disabled');
	if (el.readOnly) throw new Error(what + ' is read-only');
	el.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
	el.focus();
	if (document.activeElement !== el) throw new Error(what + ' cannot take the focus');
	el.value = '';
	window.__browserFill = el;
	return true;
}`

// fillCheckScript fires change on the typed field and reports a value that
// differs from what was typed (maxlength, a script rewriting it), without
// echoing either: it may be a password.
const fillCheckScript = `(value) => {
	const el = window.__browserFill;
	delete window.__browserFill;
	if (!el || !el.isConnected) return 'the field went away while typing';
	el.dispatchEvent(new Event('change', {bubbles: true}));
	if (el.value !== value) return 'the field holds ' + el.value.length + ' characters after typing ' + value.length;
	return '';
}`

// clickScript finds the element, scrolls it into view, checks that a click
// at its centre would reach it, and starts watching for the navigation the
// click may cause. It returns the point to click, in CSS pixels.
const clickScript = `async (sel, token) => {
	const el = await waitFor(sel);
	const what = '<' + el.tagName.toLowerCase() + '>';
	if (el.disabled) throw new Error(what + ' is disabled');
	el.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
	const r = Array.from(el.getClientRects()).find(r => r.width > 0 && r.height > 0);
	if (!r) throw new Error(what + ' is not visible');
	const x = r.left + r.width / 2, y = r.top + r.height / 2;
	const hit = document.elementFromPoint(x, y);
	if (!hit || (hit !== el && !el.contains(hit))) {
		const by = hit ? '<' + hit.tagName.toLowerCase() + (hit.id ? '#' + hit.id : '') + '>' : 'nothing';
		throw new Error(what + ' is covered by ' + by);
	}
	const st = {token, nav: false, submit: null};
	st.onNavigate = e => { if (!e.destination.sameDocument) st.nav = true; };
	st.onSubmit = e => { st.submit = e; };
	window.__browserClick = st;
	if (window.navigation) navigation.addEventListener('navigate', st.onNavigate);
	document.addEventListener('submit', st.onSubmit, true); // capture: seen even if propagation stops
	return {X: x, Y: y};
}`

// clickCheckScript reports whether the click started a cross-document
// navigation of this page; a missing token means the document was replaced.
const clickCheckScript = `(token) => {
	const st = window.__browserClick;
	if (!st || st.token !== token) return true;
	delete window.__browserClick;
	if (window.navigation) navigation.removeEventListener('navigate', st.onNavigate);
	document.removeEventListener('submit', st.onSubmit, true);
	if (st.nav) return true;
	const e = st.submit;
	if (!e || e.defaultPrevented) return false;
	const target = (e.submitter && e.submitter.getAttribute('formtarget')) || e.target.getAttribute('target') || '';
	return ['', '_self', '_top', '_parent'].includes(target.toLowerCase());
}`

const hasScript = `(sel) => document.querySelector(sel) !== null`

const textScript = `() => document.body ? document.body.innerText : ''`

const htmlScript = `() => document.documentElement ? document.documentElement.outerHTML : ''`
