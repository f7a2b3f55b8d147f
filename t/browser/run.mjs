// Browser test of the member portal with Debian's headless Chromium driven by
// playwright-core: register through the form, read the verification mail
// from var/mail, open the link, confirm, sign in, check the profile page and
// save its screenshot to $PORTAL_ROOT/var/screenshots/profile.png, enrol
// TOTP at /profile/mfa (secret read from the page, codes computed here),
// sign out, sign in again with the password and a code, sign out.
// Fails on any console error, uncaught page error or CSP violation.
//
// Environment: PORTAL_ROOT (default: two levels above this file),
// PORTAL_URL (default https://127.0.0.1:8443), CHROMIUM (default
// /usr/bin/chromium).  Never downloads a browser.
//
// Run from t/browser: npm ci && node run.mjs
// Prints "ok N - ..." / "not ok N - ..." lines and "X passed, Y failed";
// exits non-zero on any failure.

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = process.env.PORTAL_ROOT || resolve(here, '..', '..');
const URL_BASE = (process.env.PORTAL_URL
    || `https://127.0.0.1:${process.env.PORTAL_PORT || 8443}`).replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MAILDIR = join(ROOT, 'var', 'mail');
const SHOTDIR = join(ROOT, 'var', 'screenshots');

let passed = 0;
let failed = 0;
let n = 0;
function check(name, cond, detail) {
	n++;
	if (cond) {
		passed++;
		console.log(`ok ${n} - ${name}`);
	} else {
		failed++;
		console.log(`not ok ${n} - ${name}`);
		if (detail !== undefined)
			console.log(`#   ${String(detail).split('\n').join('\n#   ')}`);
	}
	return cond;
}

// Newest mail in var/mail whose To: is addr, polled up to waitMs.
async function latestMailTo(addr, waitMs = 10000) {
	const end = Date.now() + waitMs;
	for (;;) {
		let best = null;
		let names = [];
		try { names = readdirSync(MAILDIR); } catch { names = []; }
		for (const name of names) {
			if (!name.endsWith('.eml') || name.startsWith('.')) continue;
			const file = join(MAILDIR, name);
			const raw = readFileSync(file);
			const text = raw.toString('utf8');
			const head = text.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
			const to = head.split(/\r?\n/).find((l) => /^to:/i.test(l)) || '';
			const m = to.match(/<([^<>\s]+)>/) || to.match(/([^\s<>",:]+@[^\s<>",]+)/);
			if (!m || m[1].toLowerCase() !== addr.toLowerCase()) continue;
			const mtime = statSync(file).mtimeMs;
			if (!best || mtime > best.mtime || (mtime === best.mtime && name > best.name))
				best = { file, name, mtime, text };
		}
		if (best) return best;
		if (Date.now() >= end) return null;
		await new Promise((r) => setTimeout(r, 100));
	}
}

function randomPassword() {
	const c = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
	let p = 'Aa1!';
	while (p.length < 20) p += c[Math.floor(Math.random() * c.length)];
	return p;
}

const stamp = `${process.pid}-${Date.now()}`;
const member = {
	email: `browser-${stamp}@example.jp`,
	name: `ブラウザ 試験${process.pid}`,
	name_kana: 'ブラウザ シケン',
	phone: '03-1234-5678',
	postal_code: '100-0001',
	address: `東京都千代田区千代田1-1 ブラウザ棟${process.pid}`,
	password: randomPassword(),
};

const problems = [];	// console errors, page errors, CSP violations
const badResponses = [];
const userDataDir = mkdtempSync(join(tmpdir(), 'portal-chromium-'));
let context;
let page;

// RFC 4648 base32 (no padding) to bytes.
function base32Decode(s) {
	const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const ch of s.replace(/[=\s]/g, '').toUpperCase()) {
		const v = alpha.indexOf(ch);
		if (v < 0) throw new Error(`bad base32 character ${ch}`);
		bits += v.toString(2).padStart(5, '0');
	}
	const out = [];
	for (let i = 0; i + 8 <= bits.length; i += 8)
		out.push(parseInt(bits.slice(i, i + 8), 2));
	return Buffer.from(out);
}

// TOTP (RFC 6238, HMAC-SHA-1, 6 digits) of time step `step`.
function totp(key, step) {
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(step));
	const h = createHmac('sha1', key).update(msg).digest();
	const o = h[h.length - 1] & 0x0f;
	const v = (h.readUInt32BE(o) & 0x7fffffff) % 1000000;
	return String(v).padStart(6, '0');
}

const stepNow = () => Math.floor(Date.now() / 1000 / 30);

// Submit a form whose answer stays on the same URL (a rendered POST).
async function submitInPlace(formSel) {
	const button = page.locator(`${formSel} [type=submit]`).first();
	await Promise.all([page.waitForEvent('load'), button.click()]);
}

async function submitAndWait(formSel, urlPattern) {
	const button = page.locator(`${formSel} [type=submit]`).first();
	await Promise.all([page.waitForURL(urlPattern), button.click()]);
}

try {
	context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		ignoreHTTPSErrors: true,
		locale: 'ja-JP',
		viewport: { width: 1000, height: 900 },
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		    '--disable-background-networking', '--disable-component-update',
		    '--disable-sync'],
	});
	await context.exposeBinding('__portalReportCsp', (_src, v) => {
		problems.push(`CSP violation: ${v}`);
	});
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			window.__portalReportCsp(`${e.violatedDirective} blocked ${e.blockedURI} `
			    + `at ${e.sourceFile}:${e.lineNumber}`);
		});
	});
	page = context.pages()[0] || await context.newPage();
	page.setDefaultTimeout(15000);
	page.on('console', (msg) => {
		if (msg.type() === 'error')
			problems.push(`console error on ${page.url()}: ${msg.text()} (${msg.location().url || "no url"})`);
	});
	page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
	page.on('response', (res) => {
		if (res.status() >= 400)
			badResponses.push(`${res.status()} ${res.request().method()} ${res.url()}`);
	});

	// ------------------------------------------------------------ register
	let res = await page.goto(`${URL_BASE}/register`);
	check('GET /register is 200', res.status() === 200, res.status());
	check('register form visible', await page.locator('#register-form').isVisible());
	const cssOk = await page.evaluate(() => document.styleSheets.length > 0
	    && [...document.styleSheets].some((s) => s.href && s.cssRules.length > 0));
	check('the style sheet is loaded', cssOk);
	for (const [k, v] of Object.entries(member))
		await page.fill(`#register-form [name="${k}"]`, v);
	await page.fill('#register-form [name="password_confirm"]', member.password);
	await submitAndWait('#register-form', /\/register\/sent$/);
	check('registration leads to /register/sent', page.url() === `${URL_BASE}/register/sent`, page.url());

	// ------------------------------------------------------------ mail
	const mail = await latestMailTo(member.email);
	check(`verification mail to ${member.email} in var/mail`, mail !== null);
	if (!mail) throw new Error('no verification mail');
	const esc = URL_BASE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const link = (mail.text.match(new RegExp(`${esc}/verify\\?token=[A-Za-z0-9_-]{43}`)) || [])[0];
	check('mail contains the verification link', !!link, mail.text.slice(0, 500));
	if (!link) throw new Error('no link');

	// ------------------------------------------------------------ verify
	res = await page.goto(link);
	check('GET /verify link is 200', res.status() === 200, res.status());
	check('confirm form visible', await page.locator('#verify-form').isVisible());
	await submitAndWait('#verify-form', /\/login\?verified=1$/);
	check('confirming leads to /login?verified=1', page.url().endsWith('/login?verified=1'), page.url());
	check('verified notice shown', await page.locator('#notice').isVisible());

	// ------------------------------------------------------------ sign in
	await page.fill('#login-form [name="email"]', member.email);
	await page.fill('#login-form [name="password"]', member.password);
	await submitAndWait('#login-form', /\/profile$/);
	check('sign-in leads to /profile', page.url() === `${URL_BASE}/profile`, page.url());
	check('profile shows the mail address',
	    (await page.locator('#profile-email').textContent())?.trim() === member.email);
	check('profile shows the name',
	    await page.inputValue('#profile-form [name="name"]') === member.name);
	check('profile shows the address',
	    await page.inputValue('#profile-form [name="address"]') === member.address);
	const cookies = await context.cookies(URL_BASE);
	const sc = cookies.find((c) => c.name === '__Host-portal');
	check('session cookie __Host-portal is Secure, HttpOnly, SameSite=Lax, Path=/',
	    sc && sc.secure && sc.httpOnly && sc.sameSite === 'Lax' && sc.path === '/',
	    JSON.stringify(sc));
	check('document.cookie cannot read the session',
	    !(await page.evaluate(() => document.cookie)).includes('__Host-portal'));

	mkdirSync(SHOTDIR, { recursive: true });
	const shot = join(SHOTDIR, 'profile.png');
	await page.screenshot({ path: shot, fullPage: true });
	check(`screenshot saved to ${shot}`, statSync(shot).size > 1000);

	// ------------------------------------------------------------ TOTP
	await page.click('#link-mfa');
	await page.waitForURL(/\/profile\/mfa$/);
	check('the profile links to /profile/mfa', page.url() === `${URL_BASE}/profile/mfa`, page.url());
	await submitInPlace('#mfa-enable-form');
	const secret = ((await page.locator('#totp-secret').textContent()) || '').trim();
	check('enabling shows the secret in base32', /^[A-Z2-7]{32}$/.test(secret), secret);
	const qrOk = await page.locator('#totp-qr').evaluate((img) => img.complete && img.naturalWidth > 0);
	check('the QR code image is shown', qrOk);
	const key = base32Decode(secret);
	const enrolStep = stepNow();
	await page.fill('#mfa-confirm-form [name="code"]', totp(key, enrolStep));
	await submitInPlace('#mfa-confirm-form');
	const nCodes = await page.locator('#recovery-codes li').count();
	check('a valid code enables TOTP and shows 10 recovery codes', nCodes === 10, nCodes);
	await submitAndWait('#logout-form', /\/login$/);
	await page.fill('#login-form [name="email"]', member.email);
	await page.fill('#login-form [name="password"]', member.password);
	await submitAndWait('#login-form', /\/login\/mfa$/);
	check('the password leads to /login/mfa', page.url() === `${URL_BASE}/login/mfa`, page.url());
	await page.fill('#mfa-login-form [name="code"]', totp(key, Math.max(stepNow(), enrolStep + 1)));
	await submitAndWait('#mfa-login-form', /\/profile$/);
	check('a code completes the sign-in', page.url() === `${URL_BASE}/profile`, page.url());

	// ------------------------------------------------------------ sign out
	await submitAndWait('#logout-form', /\/login$/);
	check('sign-out leads to /login', page.url() === `${URL_BASE}/login`, page.url());
	await page.goto(`${URL_BASE}/profile`);
	check('/profile after sign-out redirects to /login', page.url() === `${URL_BASE}/login`, page.url());
} catch (e) {
	check(`no exception: ${e.message.split('\n')[0]}`, false, e.stack);
	if (page) {
		try {
			mkdirSync(SHOTDIR, { recursive: true });
			await page.screenshot({ path: join(SHOTDIR, 'failure.png'), fullPage: true });
			console.log(`# failure screenshot: ${join(SHOTDIR, 'failure.png')} (at ${page.url()})`);
		} catch { /* best effort */ }
	}
} finally {
	check('no console errors, page errors or CSP violations', problems.length === 0,
	    problems.join('\n'));
	check('no HTTP error responses', badResponses.length === 0, badResponses.join('\n'));
	if (context) await context.close();
	rmSync(userDataDir, { recursive: true, force: true });
}

console.log(`1..${n}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
