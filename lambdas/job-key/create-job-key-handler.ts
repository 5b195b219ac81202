import type { Logger } from '@aws-lambda-powertools/logger';
import type {
  CloudFormationCustomResourceEvent,
  CloudFormationCustomResourceResponse,
} from 'aws-lambda';
import {
  type ReadSecretOptions,
  readSigningSecret,
} from '../lib/signing-secret.js';
import { publicKeyAttributes } from './public-key.js';

export interface JobKeyHandlerOptions {
  logger: Logger;
  /** Where the secrets extension listens. @default the Lambda sandbox's */
  secrets?: ReadSecretOptions;
}

/**
 * The job-signing public key custom resource (docs/remedies.md): on create
 * and update it reads the seed through the secrets extension and answers
 * CloudFormation with the public key and key id; delete has nothing to
 * remove. The answer goes to the pre-signed response URL, as CloudFormation
 * waits for it there; a failure answers FAILED with its message, so the
 * deployment stops with a reason instead of waiting an hour.
 */
export function createJobKeyHandler(options: JobKeyHandlerOptions) {
  const { logger } = options;

  return async (event: CloudFormationCustomResourceEvent) => {
    const physicalId =
      event.RequestType === 'Create'
        ? `${event.LogicalResourceId}-key`
        : event.PhysicalResourceId;
    const base = {
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      PhysicalResourceId: physicalId,
    };

    let response: CloudFormationCustomResourceResponse;
    try {
      const data =
        event.RequestType === 'Delete'
          ? undefined
          : await derive(event.ResourceProperties, options.secrets);
      response = {
        ...base,
        Status: 'SUCCESS',
        ...(data ? { Data: data } : {}),
      };
      logger.info('job-signing public key answered', {
        requestType: event.RequestType,
        keyId: data?.KeyId,
      });
    } catch (error) {
      logger.error('job-signing public key failed', { error });
      response = {
        ...base,
        Status: 'FAILED',
        Reason: (error as Error).message,
      };
    }
    await send(event.ResponseURL, response);
  };
}

/** The custom resource's one property: the signing seed's secret ARN. */
async function derive(
  properties: Record<string, unknown>,
  secrets: ReadSecretOptions | undefined,
) {
  const secretId = properties.SecretId;
  if (typeof secretId !== 'string' || secretId === '') {
    throw new TypeError('the property SecretId must name the signing secret');
  }
  const secret = await readSigningSecret(
    { kind: 'secrets-manager', secretId },
    secrets,
  );
  return publicKeyAttributes(secret);
}

/** CloudFormation's response URL takes a PUT with no content type. */
async function send(
  url: string,
  response: CloudFormationCustomResourceResponse,
) {
  const body = JSON.stringify(response);
  const answer = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body,
  });
  if (!answer.ok) {
    throw new Error(`the response URL answered ${answer.status}`);
  }
}
