import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';

/**
 * For tests: a validator for the SARIF 2.1.0 JSON schema as Microsoft's sarif-js-sdk ships it
 * (@microsoft/jest-sarif, a dev dependency; draft-04, checked with the ajv 6 it depends on). Returns the schema
 * errors, none when the log is valid.
 */
export function sarifValidator(): (log: unknown) => string[] {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
  const ajv = new Ajv({ schemaId: 'id', allErrors: true, logger: false });
  ajv.addMetaSchema(JSON.parse(readFileSync(require.resolve('ajv/lib/refs/json-schema-draft-04.json'), 'utf8')) as object);
  const validate = ajv.compile(schema);
  return (log) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`));
}
