/** The maintenance checks the agent can run (DESIGN §5, issue 3). */
export const CHECK_KINDS = [
  'antivirus',
  'spyware-scan',
  'cleanup',
  'disk-space',
  'smart',
  'patch-assessment',
] as const;

export type CheckKind = (typeof CHECK_KINDS)[number];

/** Why a check ran. */
export const TRIGGERS = ['schedule', 'catch-up', 'on-demand', 'job'] as const;
export type Trigger = (typeof TRIGGERS)[number];
