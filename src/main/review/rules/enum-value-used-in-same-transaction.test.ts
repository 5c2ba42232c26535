import { enumValueUsedInSameTransaction } from './enum-value-used-in-same-transaction';
import { testRule } from './testRule';

const add = "ALTER TYPE order_status ADD VALUE 'refunded';";
const use = "UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;";

testRule(enumValueUsedInSameTransaction, {
  flag: [
    { sql: `${add}\n${use}`, format: 'goose', line: 1 },
    { sql: `BEGIN;\n${add}\n${use}\nCOMMIT;`, line: 2 },
    { sql: `${add}\nALTER TABLE orders ALTER COLUMN status SET DEFAULT 'refunded';`, transactional: true },
    { sql: "ALTER TYPE mood ADD VALUE 'it''s ok';\nSELECT 'it''s ok'::mood;", format: 'dbmate' },
  ],
  pass: [
    `${add}\n${use}`,
    { sql: `${add}\n${use}`, format: 'goose', transactional: false },
    `BEGIN;\n${add}\nCOMMIT;\nBEGIN;\n${use}\nCOMMIT;`,
    { sql: `${add}\nUPDATE orders SET status = 'paid' WHERE paid_at IS NOT NULL;`, format: 'goose' },
    { sql: `${add}\n${use}`, format: 'goose', serverVersion: '11' },
  ],
});
