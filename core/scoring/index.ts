export * from './decide.js';
export * from './lifecycle.js';
export * from './priority.js';
export * from './products.js';
