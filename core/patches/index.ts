export * from './approval.js';
export * from './assessment-data.js';
export * from './compliance.js';
export * from './deployment.js';
export * from './reboot.js';
export * from './rings.js';
export * from './settings.js';
