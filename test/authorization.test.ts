import { createServer } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, tokenFor } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

let database: TestDatabase;
let stack: Stack;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  stack = await startStack({ databaseUrl: database.url });
});
afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

const PROFILE = `query ($id: ID!) { customer(id: $id) { id firstName country email city totalSpent invoices(first: 1) { totalCount } } }`;
const forbiddenPaths = (body: any) =>
  (body.errors ?? [])
    .filter((e: any) => e.extensions.code === 'FORBIDDEN')
    .map((e: any) => e.path.join('.'))
    .sort();
const PRIVATE_PATHS = ['customer.city', 'customer.email', 'customer.invoices', 'customer.totalSpent'];

describe('field authorization', () => {
  it('lets customer 5 read their own email and invoices', async () => {
    const { body } = await stack.query(PROFILE, { id: '5' }, { as: 'customer:5' });
    expect(body).toEqual({
      data: { customer: { id: '5', firstName: 'František', country: 'Czech Republic', email: 'frantisekw@jetbrains.com', city: 'Prague', totalSpent: '40.62', invoices: { totalCount: 7 } } },
    });
  });

  it("gives customer 5 null with FORBIDDEN for customer 6's private fields, the public ones intact", async () => {
    const { status, body } = await stack.query(PROFILE, { id: '6' }, { as: 'customer:5' });
    expect(status).toBe(200);
    expect(body.data.customer).toEqual({ id: '6', firstName: 'Helena', country: 'Czech Republic', email: null, city: null, totalSpent: null, invoices: null });
    expect(forbiddenPaths(body)).toEqual(PRIVATE_PATHS);
  });

  it("lets the customer's support rep read them, and not another support agent", async () => {
    // Customer 5's rep is employee 4 (Margaret Park); employee 3 (Jane Peacock) supports others.
    expect((await stack.query(PROFILE, { id: '5' }, { as: 'employee:4' })).body.data.customer.email).toBe('frantisekw@jetbrains.com');
    const other = await stack.query(PROFILE, { id: '5' }, { as: 'employee:3' });
    expect(forbiddenPaths(other.body)).toEqual(PRIVATE_PATHS);
  });

  it('lets managers read every customer', async () => {
    for (const manager of ['employee:1', 'employee:2', 'employee:6']) {
      const { body } = await stack.query(PROFILE, { id: '6' }, { as: manager });
      expect(body.errors).toBeUndefined();
      expect(body.data.customer.email).toBe('hholy@gmail.com');
    }
  });

  it('gives anonymous callers the public fields only', async () => {
    const { body } = await stack.query(PROFILE, { id: '5' });
    expect(body.data.customer).toMatchObject({ id: '5', firstName: 'František', country: 'Czech Republic', email: null });
    expect(forbiddenPaths(body)).toEqual(PRIVATE_PATHS);
    const invoice = await stack.query(`{ invoice(id: "77") { total } }`);
    expect(invoice.body).toMatchObject({ data: { invoice: null }, errors: [{ path: ['invoice'], extensions: { code: 'FORBIDDEN' } }] });
  });

  it('serves Query.invoice to its customer only, and Query.customers to employees only', async () => {
    expect((await stack.query(`{ invoice(id: "77") { total } }`, undefined, { as: 'customer:5' })).body).toEqual({ data: { invoice: { total: '1.98' } } });
    expect((await stack.query(`{ invoice(id: "77") { total } }`, undefined, { as: 'customer:6' })).body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const asCustomer = await stack.query(`{ customers { totalCount } genres { id } }`, undefined, { as: 'customer:5' });
    expect(asCustomer.body.data).toEqual({ customers: null, genres: expect.any(Array) });
    expect(asCustomer.body.errors).toEqual([expect.objectContaining({ path: ['customers'], extensions: { code: 'FORBIDDEN' } })]);
    expect((await stack.query(`{ customers { totalCount } }`, undefined, { as: 'employee:5' })).body).toEqual({ data: { customers: { totalCount: 59 } } });
  });
});

describe('mutation authorization', () => {
  it.each([
    ['updateTrack by a customer', `mutation { updateTrack(id: "1", input: { name: "x" }) { id } }`, 'customer:5', 'updateTrack'],
    ['updateCustomer of someone else', `mutation { updateCustomer(id: "6", input: { city: "x" }) { id } }`, 'customer:5', 'updateCustomer'],
    ['updateCustomer by a non-manager employee', `mutation { updateCustomer(id: "6", input: { city: "x" }) { id } }`, 'employee:3', 'updateCustomer'],
    ['purchase for another customer', `mutation { purchase(customerId: "6", trackIds: ["1"]) { id } }`, 'customer:5', 'purchase'],
    ['purchase by an employee', `mutation { purchase(customerId: "6", trackIds: ["1"]) { id } }`, 'employee:1', 'purchase'],
    ['createPlaylist anonymously', `mutation { createPlaylist(name: "x") { id } }`, undefined, 'createPlaylist'],
  ])('refuses %s with FORBIDDEN and changes nothing', async (_, mutation, as, field) => {
    const { body } = await stack.query(mutation, undefined, as ? { as } : undefined);
    expect(body.errors).toEqual([expect.objectContaining({ path: [field], extensions: { code: 'FORBIDDEN' } })]);
    const state = await stack.query(`{ track(id: "1") { name } playlists { totalCount } }`);
    expect(state.body.data).toEqual({ track: { name: 'For Those About To Rock (We Salute You)' }, playlists: { totalCount: 18 } });
    const customer6 = await stack.query(`{ customer(id: "6") { city invoices { totalCount } } }`, undefined, { as: 'employee:1' });
    expect(customer6.body.data.customer).toEqual({ city: 'Prague', invoices: { totalCount: 7 } });
  });

  it('lets a manager update any customer, and the customer themself', async () => {
    expect((await stack.query(`mutation { updateCustomer(id: "6", input: { phone: "+420 1" }) { phone } }`, undefined, { as: 'employee:2' })).body).toEqual({
      data: { updateCustomer: { phone: '+420 1' } },
    });
    expect((await stack.query(`mutation { updateCustomer(id: "6", input: { phone: "+420 2" }) { phone } }`, undefined, { as: 'customer:6' })).body).toEqual({
      data: { updateCustomer: { phone: '+420 2' } },
    });
  });
});

describe('identity', () => {
  const expectUnauthenticated = async (authorization: string, reason: string) => {
    const { result, statements } = await stack.countStatements(() => stack.query(PROFILE, { id: '5' }, { headers: { authorization } }));
    expect(result.status).toBe(401);
    expect(result.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(result.body).toEqual({ errors: [{ message: `Unauthenticated: ${reason}`, extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(statements).toBe(0);
  };

  it('refuses an expired token with 401 and executes nothing', async () => {
    await expectUnauthenticated(`Bearer ${await tokenFor('customer:5', -120)}`, 'token expired');
  });

  it('accepts a token expired within the clock tolerance (30 s)', async () => {
    const { status } = await stack.query(PROFILE, { id: '5' }, { headers: { authorization: `Bearer ${await tokenFor('customer:5', -10)}` } });
    expect(status).toBe(200);
  });

  it('refuses a token signed with another key, a bad subject, and a malformed header', async () => {
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('customer:5')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(40)));
    await expectUnauthenticated(`Bearer ${forged}`, 'token signature invalid');
    const admin = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('tributary-development-secret-not-for-production'));
    await expectUnauthenticated(`Bearer ${admin}`, 'token subject must be customer:<id> or employee:<id>, got "admin"');
    await expectUnauthenticated('Basic dXNlcjpwYXNz', 'Authorization must be "Bearer <token>"');
  });

  it('ignores an identity header sent by a client of the gateway', async () => {
    const internal = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('employee:1')
      .setIssuer('tributary-gateway')
      .setAudience('tributary-subgraphs')
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode('tributary-development-internal-secret-not-for-production'));
    const { body } = await stack.query(PROFILE, { id: '5' }, { headers: { 'x-tributary-identity': internal } });
    expect(forbiddenPaths(body)).toEqual(PRIVATE_PATHS);
  });

  it('grants nothing to a direct subgraph call with a forged identity header', async () => {
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('employee:1')
      .setIssuer('tributary-gateway')
      .setAudience('tributary-subgraphs')
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode('y'.repeat(40)));
    const response = await fetch(stack.subgraphs.urls.customers!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tributary-identity': forged },
      body: JSON.stringify({ query: '{ customer(id: "5") { email } }' }),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const anonymous = await fetch(stack.subgraphs.urls.customers!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ customer(id: "5") { email } }' }),
    });
    expect((await anonymous.json()).errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('identity configured with issuer, audience and required gateway tokens', () => {
  let strict: Stack;
  let jwks: ReturnType<typeof createServer>;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey as CryptoKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as { port: number };
    strict = await startStack({
      databaseUrl: database.url,
      gatewayEnv: { GATEWAY_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`, GATEWAY_JWT_ISSUER: 'https://id.example', GATEWAY_JWT_AUDIENCE: 'tributary' },
      subgraphEnv: { SUBGRAPH_REQUIRE_GATEWAY_TOKEN: 'true' },
    });
  });
  afterAll(async () => {
    await strict?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });
  const sign = (audience: string) =>
    new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'test-key' }).setSubject('customer:5').setIssuer('https://id.example').setAudience(audience).setExpirationTime('5m').sign(privateKey);

  it('accepts an ES256 token from the JWKS with the right issuer and audience', async () => {
    const { body } = await strict.query(PROFILE, { id: '5' }, { headers: { authorization: `Bearer ${await sign('tributary')}` } });
    expect(body.data.customer.email).toBe('frantisekw@jetbrains.com');
  });

  it('refuses a wrong audience with 401', async () => {
    const { status, body } = await strict.query(PROFILE, { id: '5' }, { headers: { authorization: `Bearer ${await sign('someone-else')}` } });
    expect(status).toBe(401);
    expect(body.errors![0]).toEqual({ message: 'Unauthenticated: token claim "aud" not accepted', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('has subgraphs refuse calls without the gateway token, while the gateway still works and is ready', async () => {
    const direct = await fetch(strict.subgraphs.urls.catalog!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ genres { name } }' }) });
    expect(direct.status).toBe(401);
    expect(await direct.json()).toMatchObject({ errors: [{ message: 'this subgraph only answers the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect((await strict.query('{ genre(id: "1") { name } }')).body).toEqual({ data: { genre: { name: 'Rock' } } });
    expect((await fetch(strict.gatewayUrl.replace('/graphql', '/readyz'))).status).toBe(200);
  });
});
