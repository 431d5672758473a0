export { ConfigError, type ConfigIssue } from './config-error.js';
export { configIssuesFromZod } from './zod-issues.js';
