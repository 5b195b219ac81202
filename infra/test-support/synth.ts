import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, CfnElement, IResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, expect } from 'vitest';
import { createApp } from '../lib/app.js';
import type { UpkeepStack } from '../lib/upkeep-stack.js';

// biome-ignore lint/suspicious/noExplicitAny: templates are untyped JSON
export type Json = Record<string, any>;

type Node = { node: IResource['node'] };

const cdkJson = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
) as { context: Record<string, unknown> };

/** cdk.json's settings with the test deployment's name and a mailbox. */
export const TEST_CONTEXT = {
  ...cdkJson.context,
  'upkeep:deploymentName': 'upkeep-test',
  'upkeep:logRetentionDays': 14,
  'upkeep:logLevel': 'DEBUG',
  'upkeep:alarmEmail': 'ops@msp.example',
};

/** The synthesised stack and the helpers tests read it with. */
export interface Synthesised {
  app: App;
  stack: UpkeepStack;
  assembly: CloudAssembly;
  template: Template;
  resources: Record<string, Json>;
  /** The logical id of a construct's CloudFormation resource. */
  id(construct: Node): string;
  ref(construct: Node): { Ref: string };
  arnOf(construct: Node): { 'Fn::GetAtt': [string, 'Arn'] };
  ofType(type: string): [string, Json][];
  /** The statements of the one IAM policy attached to a role. */
  statementsOf(role: Node): Json[];
}

/**
 * Synthesises the app once for the calling test file (it bundles every
 * function with esbuild) and removes the output afterwards. The returned
 * object is filled in by `beforeAll`.
 */
export function synthOnce(context: Record<string, unknown> = TEST_CONTEXT) {
  const synthesised = {} as Synthesised;
  const outdir = mkdtempSync(join(tmpdir(), 'upkeep-stack-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  beforeAll(() => {
    const { app, stack } = createApp({ context, outdir });
    const assembly = app.synth();
    const template = Template.fromStack(stack);
    const resources: Record<string, Json> = template.toJSON().Resources;
    // An L2 names its resource as default child; an L1 is the resource.
    const id = (construct: Node) =>
      stack.getLogicalId(
        (construct.node.defaultChild ?? construct) as CfnElement,
      );
    const ofType = (type: string) =>
      Object.entries(resources).filter(([, r]) => r.Type === type);

    Object.assign(synthesised, {
      app,
      stack,
      assembly,
      template,
      resources,
      id,
      ofType,
      ref: (construct: Node) => ({ Ref: id(construct) }),
      arnOf: (construct: Node) => ({ 'Fn::GetAtt': [id(construct), 'Arn'] }),
      statementsOf: (role: Node) => {
        const policies = ofType('AWS::IAM::Policy').filter(([, p]) =>
          p.Properties.Roles.some((r: Json) => r.Ref === id(role)),
        );
        expect(policies).toHaveLength(1);
        return policies[0]?.[1].Properties.PolicyDocument.Statement;
      },
    } satisfies Synthesised);
  }, 120_000);

  return synthesised;
}

const PSEUDO: Json = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': '111122223333',
};

/** Renders CloudFormation Joins and pseudo parameters as a fixed account. */
export function render(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(render);
  if (typeof value !== 'object' || value === null) return value;

  const object = value as Json;
  if (typeof object.Ref === 'string' && object.Ref in PSEUDO) {
    return PSEUDO[object.Ref];
  }
  if (object['Fn::Join']) {
    const [separator, parts] = object['Fn::Join'];
    return (parts as unknown[]).map(render).join(separator);
  }
  return Object.fromEntries(
    Object.entries(object).map(([k, v]) => [k, render(v)]),
  );
}
