import type { Component } from '../lib/profile.js';

const lib = (names: string) => new RegExp(`node_modules/(?:${names})/`);

/**
 * The parts of the local path, told apart in a CPU profile by the files
 * their frames run in. The first match of a frame names its part.
 */
export const LOCAL_PATH_COMPONENTS: readonly Component[] = [
  // Stopping the profiler is sampled too; it is not part of the system.
  { name: 'the profiler itself', url: /^node:inspector/, ignore: true },
  {
    name: 'dynalite (DynamoDB stand-in, LevelDB)',
    url: lib(
      'dynalite|level|classic-level|abstract-level|memory-level|' +
        'level-[^/]+|big\\.js|lazy|lock|async|buffer-crc32|module-error',
    ),
  },
  {
    name: 'AWS SDK clients (ingest handler, topic rules)',
    url: lib('@aws-sdk/[^/]+|@smithy/[^/]+|@aws-crypto/[^/]+'),
  },
  {
    name: 'Powertools and middy (ingest handler)',
    url: lib('@aws-lambda-powertools/[^/]+|@middy/[^/]+'),
  },
  {
    name: 'ingest handler code and zod',
    url: /\/lambdas\/|node_modules\/zod\/|\/core\//,
  },
  { name: 'SQS stand-in', url: /\/local\/sqs\// },
  {
    name: 'MQTT broker (aedes)',
    url: /node_modules\/(?:aedes[^/]*|mqemitter|mqtt-packet)\/|local\/broker/,
  },
  { name: 'topic rules', url: /\/local\/rules\// },
  { name: 'rest of the local stack', url: /\/local\// },
];
