// The API contract is the one barrel file the architecture allows.
export * from './contract';
export * from './errors';
