import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublicKeys } from '../../agent/jobs/keys.js';
import { cleanupJob } from '../../agent/jobs/testing/sign.js';
import { verifyJobDocument } from '../../agent/jobs/verify.js';
import { createRemedyRegistry } from '../../agent/remedies/registry.js';
import { jobSigningFromPublicKey } from '../../cli/enroll-aws-signing.js';
import { signingKeyFromSecret, signJobDocument } from '../lib/job-signing.js';
import { createJobKeyHandler } from './create-job-key-handler.js';
import { publicKeyAttributes } from './public-key.js';

const SECRET =
  'Zq8Rk2vT0mWc5yHn3LpD7sGx1bJf9aUe4oKi6tNr2wQh8zVm0cXy5dBg3lPs7uEj';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:signing-AbC123';
const NOW = new Date('2026-12-04T09:00:00Z');

describe('publicKeyAttributes', () => {
  it('publishes the public key the signing functions derive from the seed', () => {
    const attributes = publicKeyAttributes(SECRET);
    const signing = signingKeyFromSecret(SECRET);

    expect(attributes).toEqual({
      PublicKey: signing.publicKeyRaw,
      KeyId: signing.keyId,
    });
    expect(JSON.stringify(attributes)).not.toContain(SECRET);
  });

  it('gives enrolment the same bundle key as a local bundle, which verifies a signed job', () => {
    const signing = signingKeyFromSecret(SECRET);
    const bundle = jobSigningFromPublicKey(
      publicKeyAttributes(SECRET).PublicKey,
    );

    expect(bundle).toEqual({
      keyId: signing.keyId,
      publicKeyPem: signing.publicKeyPem,
    });
    const job = signJobDocument(cleanupJob('lap-1', NOW), signing);
    const verified = verifyJobDocument(job, {
      thingName: 'lap-1',
      keys: loadPublicKeys({ [bundle.keyId]: bundle.publicKeyPem }),
      now: NOW,
      platform: 'linux',
      remedies: createRemedyRegistry(),
      checks: ['disk-space'],
      clockSkewMs: 300_000,
      checkTimes: true,
    });
    expect(verified.document.signature.keyId).toBe(bundle.keyId);
  });

  it('refuses a public key that is not 32 bytes of base64', () => {
    expect(() => jobSigningFromPublicKey('c2hvcnQ=')).toThrow(
      /must be 32 bytes in base64/,
    );
  });
});

/**
 * One loopback server plays the secrets extension (GET) and CloudFormation's
 * response URL (PUT), so the handler makes its real HTTP calls.
 */
describe('the job-signing public key custom resource', () => {
  const answers: Record<string, unknown>[] = [];
  let secretStatus = 200;
  const server = createServer(async (request, response) => {
    if (request.method === 'PUT') {
      answers.push(JSON.parse(await bodyOf(request)));
      response.end();
      return;
    }
    const url = new URL(request.url ?? '', 'http://127.0.0.1');
    const known = url.searchParams.get('secretId') === SECRET_ARN;
    response.statusCode = known ? secretStatus : 404;
    response.end(JSON.stringify({ SecretString: SECRET }));
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  const handler = () =>
    createJobKeyHandler({
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
      secrets: { extensionUrl: base, sessionToken: 'token' },
    });
  const event = (
    requestType: 'Create' | 'Update' | 'Delete',
    properties: Record<string, string> = { SecretId: SECRET_ARN },
  ) =>
    ({
      RequestType: requestType,
      ResponseURL: `${base}/response`,
      StackId: 'arn:aws:cloudformation:eu-west-1:1:stack/upkeep/1',
      RequestId: `request-${answers.length}`,
      LogicalResourceId: 'RemediesPublicKey',
      PhysicalResourceId: 'RemediesPublicKey-key',
      ResourceType: 'Custom::JobSigningPublicKey',
      ServiceToken: 'arn:aws:lambda:eu-west-1:1:function:job-key',
      ResourceProperties: { ServiceToken: 'token', ...properties },
      OldResourceProperties: {},
    }) as unknown as CloudFormationCustomResourceEvent;

  it('answers create with the public key and key id, never the seed', async () => {
    await handler()(event('Create'));

    const answer = answers.at(-1);
    expect(answer).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'RemediesPublicKey-key',
      LogicalResourceId: 'RemediesPublicKey',
      Data: publicKeyAttributes(SECRET),
    });
    expect(JSON.stringify(answer)).not.toContain(SECRET);
  });

  it('answers delete without reading the secret', async () => {
    secretStatus = 500;
    await handler()(event('Delete'));
    secretStatus = 200;

    expect(answers.at(-1)).toMatchObject({ Status: 'SUCCESS' });
    expect(answers.at(-1)).not.toHaveProperty('Data');
  });

  it('answers FAILED with the reason when the secret cannot be read', async () => {
    await handler()(event('Update', { SecretId: 'arn:other' }));

    expect(answers.at(-1)).toMatchObject({
      Status: 'FAILED',
      Reason: 'the secrets extension answered 404 for arn:other',
    });
  });

  it('answers FAILED when the resource names no secret', async () => {
    await handler()(event('Create', {}));

    expect(answers.at(-1)).toMatchObject({
      Status: 'FAILED',
      Reason: 'the property SecretId must name the signing secret',
    });
  });
});

async function bodyOf(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
