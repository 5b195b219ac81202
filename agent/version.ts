import packageJson from '../package.json' with { type: 'json' };

/** The agent's version, sent in every hello; the package's own version. */
export const AGENT_VERSION: string = packageJson.version;
