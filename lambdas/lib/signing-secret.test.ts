import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readSigningSecret, SigningSecretError } from './signing-secret.js';

/** A stand-in for the Parameters and Secrets extension on 127.0.0.1. */
async function extension(status: number, body: unknown) {
  const seen: { url?: string; token?: string } = {};
  const server = createServer((req, res) => {
    seen.url = req.url;
    seen.token = req.headers['x-aws-parameters-secrets-token'] as string;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen };
}

describe('readSigningSecret', () => {
  it('returns a value given in the environment as it is', async () => {
    const secret = await readSigningSecret({ kind: 'value', value: 'abc' });

    expect(secret).toBe('abc');
  });

  it('asks the extension for the secret with the session token', async () => {
    const ext = await extension(200, { SecretString: 'seed-text' });

    const secret = await readSigningSecret(
      {
        kind: 'secrets-manager',
        secretId: 'arn:aws:secretsmanager:x:1:secret:s',
      },
      { extensionUrl: ext.url, sessionToken: 'token-1' },
    );

    expect(secret).toBe('seed-text');
    expect(ext.seen.url).toBe(
      '/secretsmanager/get?secretId=arn%3Aaws%3Asecretsmanager%3Ax%3A1%3Asecret%3As',
    );
    expect(ext.seen.token).toBe('token-1');
  });

  it('fails with SigningSecretError when the extension refuses', async () => {
    const ext = await extension(400, { message: 'no' });

    const read = readSigningSecret(
      { kind: 'secrets-manager', secretId: 's' },
      { extensionUrl: ext.url, sessionToken: 't' },
    );

    await expect(read).rejects.toBeInstanceOf(SigningSecretError);
    await expect(read).rejects.toMatchObject({
      code: 'signing-secret-unavailable',
    });
  });
});
