import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { UpkeepStack } from './upkeep-stack.js';

/** The construct id of the stack; its CloudFormation name is the setting. */
export const STACK_ID = 'Upkeep';

/**
 * Runs cdk-nag's AwsSolutions pack when the app synthesises: any finding not
 * acknowledged (`Validations.of(construct).acknowledge`) fails synthesis.
 * cdk-nag 3 is a CDK policy-validation plugin, not an Aspect.
 */
export function addNagChecks(app: IConstruct) {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

export function createApp(props: AppProps = {}) {
  const app = new App(props);
  const stack = new UpkeepStack(app, STACK_ID);
  addNagChecks(app);
  return { app, stack };
}
