// panva's oidc-provider as a conformance target (see ../doc.go).
// Go passes the whole configuration as JSON in $DSRA_OIDC_CONFIG:
//   {issuer, host, port, cookieKeys, clients: [oidc-provider client metadata], users: [{username, password, email}]}
// Besides the provider it serves the seed's protected resources (RFC 6750):
// GET /oauth/api/me ({"username"}, plus "email" with scope email) and GET /oauth/api/email
// (needs scope email), with tokens checked by the provider's own AccessToken.find.
import { createHash, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import * as querystring from 'node:querystring';
import Provider from 'oidc-provider';

const cfg = JSON.parse(process.env.DSRA_OIDC_CONFIG);
const users = new Map(cfg.users.map((u) => [u.username, u]));
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

const provider = new Provider(cfg.issuer, {
  clients: cfg.clients,
  cookies: { keys: cfg.cookieKeys },
  jwks: { keys: [{ ...rsa, kid: 'rs256-' + process.pid, use: 'sig', alg: 'RS256' }] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username'] },
  scopes: ['openid', 'offline_access', 'email', 'profile'],
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    userinfo: { enabled: true },
  },
  async findAccount(ctx, sub) {
    const user = users.get(sub);
    return user && {
      accountId: sub,
      claims: async () => ({ sub, email: user.email, email_verified: true, preferred_username: sub }),
    };
  },
});

// The resources and the password check of the dev login form, ahead of the provider's routes.
provider.use(async (ctx, next) => {
  if (ctx.path === '/oauth/api/me' || ctx.path === '/oauth/api/email') return resource(ctx);
  if (ctx.method === 'POST' && ctx.path.startsWith('/interaction/') && ctx.is('application/x-www-form-urlencoded')) {
    const form = await readForm(ctx);
    if (form === undefined) return deny(ctx, 413, 'The form is too large.');
    if (form.prompt === 'login' && !passwordMatches(users.get(form.login), form.password)) {
      return deny(ctx, 401, 'Unknown user or wrong password.', ctx.path);
    }
    ctx.req.body = form; // the provider reads an already parsed body
  }
  return next();
});

// passwordMatches compares in constant time; a repeated field (an array) never matches.
function passwordMatches(user, password) {
  if (!user || typeof password !== 'string') return false;
  const digest = (s) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(user.password), digest(password));
}

async function readForm(ctx) {
  let body = '';
  for await (const chunk of ctx.req) {
    body += chunk;
    if (body.length > 8192) return undefined;
  }
  return querystring.parse(body);
}

function deny(ctx, status, message, back) {
  ctx.status = status;
  ctx.type = 'html';
  const link = back ? `<p><a href="${back.replace(/[^\w/.~%-]/g, encodeURIComponent)}">Try again</a></p>` : '';
  ctx.body = `<!DOCTYPE html><title>Sign-in failed</title><h1>Sign-in failed</h1><p class="error">${message}</p>${link}`;
}

async function resource(ctx) {
  ctx.set('Cache-Control', 'no-store');
  const challenge = (status, error, description, scope) => {
    let v = 'Bearer realm="oidc-provider"';
    if (error) v += `, error="${error}", error_description="${description}"` + (scope ? `, scope="${scope}"` : '');
    ctx.set('WWW-Authenticate', v);
    ctx.status = status;
    ctx.body = error ? { error, error_description: description } : 'A bearer token is required (Authorization: Bearer <token>).\n';
  };
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    ctx.set('Allow', 'GET, HEAD');
    ctx.status = 405;
    ctx.body = { error: 'invalid_request', error_description: 'use GET' };
    return;
  }
  const [scheme, token, extra] = (ctx.get('Authorization') || '').trim().split(/ +/);
  if (scheme.toLowerCase() !== 'bearer') return challenge(401);
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token ?? '') || extra !== undefined) {
    return challenge(400, 'invalid_request', 'the bearer token is not a b64token (RFC 6750 section 2.1)');
  }
  const at = await provider.AccessToken.find(token);
  const user = at?.accountId && users.get(at.accountId);
  if (!at?.isValid || !user) return challenge(401, 'invalid_token', 'The access token is invalid, expired or revoked.');
  const scopes = new Set((at.scope || '').split(' '));
  if (ctx.path === '/oauth/api/email') {
    if (!scopes.has('email')) return challenge(403, 'insufficient_scope', 'this resource needs scope email', 'email');
    ctx.body = { email: user.email };
    return;
  }
  ctx.body = scopes.has('email') ? { username: user.username, email: user.email } : { username: user.username };
}

const server = provider.listen(cfg.port, cfg.host, () => {
  console.log(JSON.stringify({ msg: 'oidc-provider ready', issuer: cfg.issuer }));
});
// Node closes idle keep-alive connections after 5 s, racing clients that reuse them
// (Go keeps them 90 s or more): a POST sent as the server closes gets ECONNRESET.
server.keepAliveTimeout = 10 * 60 * 1000;
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
