import { describe, expect, it } from 'vitest';
import { readApiConfig, readIngestConfig } from './config.js';
import { ConfigError } from './errors.js';

const base = {
  TABLE_NAME: 'upkeep',
  DEAD_LETTER_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/ingest-dlq',
};

describe('readIngestConfig', () => {
  it('reads the variables and applies the defaults', () => {
    const config = readIngestConfig({
      ...base,
      AUTO_REGISTER_CLIENT_ID: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      POWERTOOLS_LOG_LEVEL: 'debug',
    });

    expect(config).toEqual({
      tableName: 'upkeep',
      region: 'us-east-1',
      endpoints: { dynamodb: 'http://127.0.0.1:8000', sqs: undefined },
      serviceName: 'upkeep-ingest',
      logLevel: 'DEBUG',
      deadLetterQueueUrl: base.DEAD_LETTER_QUEUE_URL,
      autoRegisterClientId: 'local',
      reportRetentionDays: 90,
    });
  });

  it('names a missing variable in a ConfigError', () => {
    const read = () => readIngestConfig({ TABLE_NAME: 'upkeep' });

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/DEAD_LETTER_QUEUE_URL is required/);
    try {
      read();
    } catch (error) {
      expect((error as ConfigError).code).toBe('missing-variable');
      expect((error as ConfigError).variable).toBe('DEAD_LETTER_QUEUE_URL');
    }
  });

  it('rejects a retention that is not a positive integer', () => {
    const read = () =>
      readIngestConfig({ ...base, REPORT_RETENTION_DAYS: '0.5' });

    expect(read).toThrow(
      /REPORT_RETENTION_DAYS must be a positive integer, got "0.5"/,
    );
  });

  it('rejects an unknown log level', () => {
    expect(() =>
      readApiConfig({ TABLE_NAME: 't', POWERTOOLS_LOG_LEVEL: 'LOUD' }),
    ).toThrow(/POWERTOOLS_LOG_LEVEL must be one of/);
  });
});

describe('handler entries', () => {
  it('build the ingest and api handlers from the environment', async () => {
    Object.assign(process.env, {
      ...base,
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });

    const ingest = await import('../ingest/handler.js');
    const api = await import('../api/handler.js');

    expect(typeof ingest.handler.use).toBe('function');
    expect(typeof api.handler.use).toBe('function');
  });
});
