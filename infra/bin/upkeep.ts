import { createApp } from '../lib/app.js';
import { InfraError } from '../lib/errors.js';

// The CDK CLI runs this file (cdk.json "app"). A settings mistake is the
// operator's to fix, so it is reported as one line rather than a stack trace.
try {
  createApp().app.synth();
} catch (error) {
  if (!(error instanceof InfraError)) throw error;
  process.stderr.write(`${error.name} ${error.code}: ${error.message}\n`);
  process.exitCode = 1;
}
