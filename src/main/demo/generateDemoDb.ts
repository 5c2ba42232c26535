import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SeededRandom } from './SeededRandom';

/**
 * The demo database that ships with Quarry: a small shop with its operations (catalog, suppliers, stock,
 * customers, orders, payments, reviews, an audit trail), about 100k rows, so every feature has something real
 * to show. Deterministic: the same seed gives the same rows on every machine, so tests and docs can rely on it.
 * A few NULLs, non-ASCII names and JSON text columns are there on purpose, for the grid.
 */

const schema = `
create table categories (
  id integer primary key,
  parent_id integer references categories (id),
  name text not null,
  slug text not null unique
);

create table suppliers (
  id integer primary key,
  name text not null,
  country text not null,
  city text not null,
  email text not null,
  phone text
);

create table warehouses (
  id integer primary key,
  code text not null unique,
  city text not null,
  country text not null
);

create table products (
  id integer primary key,
  sku text not null unique,
  name text not null,
  category_id integer not null references categories (id),
  supplier_id integer not null references suppliers (id),
  price numeric(10,2) not null check (price >= 0),
  cost numeric(10,2) not null check (cost >= 0),
  weight_grams integer,
  attributes text check (attributes is null or json_valid(attributes)),
  active integer not null default 1,
  created_at text not null
);
create index products_category_idx on products (category_id);

create table customers (
  id integer primary key,
  first_name text not null,
  last_name text not null,
  email text not null,
  city text not null,
  country text not null,
  phone text,
  marketing_opt_in integer not null default 0,
  created_at text not null
);
create unique index customers_email_idx on customers (email);

create table inventory (
  warehouse_id integer not null references warehouses (id),
  product_id integer not null references products (id),
  quantity integer not null check (quantity >= 0),
  reorder_level integer not null default 10,
  updated_at text not null,
  primary key (warehouse_id, product_id)
) without rowid;

create table orders (
  id integer primary key,
  customer_id integer not null references customers (id),
  status text not null default 'pending' check (status in ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')),
  ordered_at text not null,
  shipped_at text,
  shipping_city text not null,
  shipping_country text not null,
  total numeric(12,2) not null default 0,
  note text
);
create index orders_customer_ordered_idx on orders (customer_id, ordered_at);
create index orders_status_idx on orders (status) where status in ('pending', 'paid');

create table order_items (
  order_id integer not null references orders (id) on delete cascade,
  line_no integer not null,
  product_id integer not null references products (id),
  quantity integer not null check (quantity > 0),
  unit_price numeric(10,2) not null,
  discount numeric(4,2) not null default 0,
  primary key (order_id, line_no)
);
create index order_items_product_idx on order_items (product_id);

create table payments (
  id integer primary key,
  order_id integer not null references orders (id) on delete cascade,
  method text not null,
  amount numeric(12,2) not null,
  currency text not null default 'EUR',
  status text not null,
  paid_at text,
  provider_ref text unique
);
create index payments_order_idx on payments (order_id);

create table reviews (
  id integer primary key,
  product_id integer not null references products (id),
  customer_id integer not null references customers (id),
  rating integer not null check (rating between 1 and 5),
  title text,
  body text,
  created_at text not null
);
create index reviews_product_idx on reviews (product_id, rating);

create table audit_events (
  id integer primary key,
  occurred_at text not null,
  actor text not null,
  action text not null,
  entity text not null,
  entity_id integer,
  payload text check (payload is null or json_valid(payload))
);
create index audit_events_entity_idx on audit_events (entity, entity_id);

create view order_summaries as
  select o.id as order_id,
         c.first_name || ' ' || c.last_name as customer,
         o.status,
         o.ordered_at,
         count(i.line_no) as item_count,
         o.total
  from orders o
  join customers c on c.id = o.customer_id
  left join order_items i on i.order_id = o.id
  group by o.id;

create trigger orders_status_audit after update of status on orders
  when old.status is not new.status
  begin
    insert into audit_events (occurred_at, actor, action, entity, entity_id, payload)
    values (strftime('%Y-%m-%d %H:%M:%S', 'now'), 'trigger', 'status_change', 'order', new.id,
            json_object('from', old.status, 'to', new.status));
  end;
`;

const firstNames = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Elias', 'Sofia', 'Leo', 'Maja', 'Hugo', 'Alice', 'Oscar', 'Ella', 'William', 'Zoë', 'José', 'Björn', 'Chloé', 'Łukasz', 'Søren', 'Ümit', 'Anaïs', 'Nuño', 'Ines', 'Mateo', 'Aiko', 'Yuki', 'Priya', 'Arjun', 'Fatima', 'Omar', 'Chen', 'Mei', 'Kofi', 'Amara', 'Sven', 'Ingrid', 'Dmitri'];
const lastNames = ['Andersson', 'Johansson', 'Smith', 'García', 'Müller', 'Rossi', 'Dubois', 'Nowak', 'Kowalski', 'Jensen', 'Nielsen', 'Öztürk', 'Yılmaz', 'Silva', 'Santos', 'Tanaka', 'Suzuki', 'Kim', 'Park', 'Nguyen', 'Patel', 'Sharma', 'Okafor', 'Mensah', 'O’Brien', 'Murphy', 'Van der Berg', 'De Vries', 'Lindqvist', 'Håkansson', 'Žukauskas', 'Novák', 'Papadopoulos', 'Ivanova', 'Fernández', 'Lefèvre', 'Schäfer', 'Bianchi', 'Costa', 'Wang'];
const places: readonly (readonly [city: string, country: string])[] = [
  ['Stockholm', 'SE'], ['Göteborg', 'SE'], ['Malmö', 'SE'], ['Oslo', 'NO'], ['København', 'DK'], ['Helsinki', 'FI'],
  ['Berlin', 'DE'], ['München', 'DE'], ['Hamburg', 'DE'], ['Paris', 'FR'], ['Lyon', 'FR'], ['Madrid', 'ES'],
  ['Barcelona', 'ES'], ['Lisboa', 'PT'], ['Roma', 'IT'], ['Milano', 'IT'], ['Amsterdam', 'NL'], ['Bruxelles', 'BE'],
  ['Wien', 'AT'], ['Zürich', 'CH'], ['Warszawa', 'PL'], ['Kraków', 'PL'], ['Praha', 'CZ'], ['Dublin', 'IE'],
  ['London', 'GB'], ['Manchester', 'GB'], ['Edinburgh', 'GB'], ['New York', 'US'], ['San Francisco', 'US'], ['Toronto', 'CA'],
  ['Tokyo', 'JP'], ['Seoul', 'KR'], ['São Paulo', 'BR'], ['México', 'MX'], ['Reykjavík', 'IS'], ['İstanbul', 'TR'],
];
const letterSpellings: Record<string, string> = { ø: 'o', Ø: 'O', æ: 'ae', Æ: 'Ae', ß: 'ss', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', œ: 'oe', Œ: 'Oe', þ: 'th', Þ: 'Th', ı: 'i' };
const emailDomains = ['example.com', 'example.org', 'example.net', 'mail.example', 'shop.example'];
const categoryTree: readonly (readonly [parent: string, children: readonly string[]])[] = [
  ['Outdoor', ['Tents', 'Sleeping bags', 'Backpacks', 'Stoves', 'Lamps']],
  ['Kitchen', ['Cookware', 'Knives', 'Coffee', 'Tableware', 'Storage']],
  ['Office', ['Desks', 'Chairs', 'Notebooks', 'Pens', 'Lighting']],
  ['Garden', ['Tools', 'Planters', 'Seeds', 'Irrigation', 'Furniture']],
  ['Electronics', ['Headphones', 'Cables', 'Chargers', 'Speakers', 'Keyboards']],
  ['Textiles', ['Towels', 'Bedding', 'Blankets', 'Rugs', 'Curtains']],
];
const adjectives = ['Compact', 'Classic', 'Ultralight', 'Sturdy', 'Nordic', 'Everyday', 'Pro', 'Eco', 'Deluxe', 'Minimal', 'Rugged', 'Cosy', 'Smart', 'Vintage', 'Premium'];
const materials = ['oak', 'steel', 'bamboo', 'linen', 'wool', 'aluminium', 'ceramic', 'cotton', 'recycled plastic', 'walnut', 'cast iron', 'glass'];
const colors = ['black', 'white', 'graphite', 'sand', 'forest green', 'ocean blue', 'rust', 'cream', 'charcoal', 'sage'];
const supplierWords = ['Nordlys', 'Fjäll', 'Atelier', 'Hansa', 'Alpen', 'Baltic', 'Iberia', 'Tokai', 'Maple', 'Atlas', 'Vega', 'Orion', 'Delta', 'Kestrel', 'Linde'];
const supplierSuffixes = ['AB', 'GmbH', 'Ltd', 'S.A.', 'Oy', 'A/S', 'B.V.', 'Co.', 'K.K.', 'S.r.l.'];
const reviewTitles = ['Great value', 'Does the job', 'Not as described', 'Love it!', 'Broke after a month', 'Perfect gift', 'Solid build quality', 'Too expensive', 'Exactly what I needed', 'Meh', 'Five stars ⭐⭐⭐⭐⭐', 'Très bien', 'Sehr gut', 'Would buy again 👍', 'Arrived damaged'];
const reviewBodies = [
  'Used it every day for three weeks now and it still works like new.',
  'Shipping took longer than expected, but the product itself is fine.',
  'The colour is a bit different from the photos.',
  'Good quality for the price. Instructions could be clearer.',
  'Returned it — the size was wrong and the exchange was easy.',
  'My partner uses it more than I do. Recommended.',
  'Works, but feels cheaper than the previous version.',
  'Excellent. Fits perfectly with the rest of my setup.',
];
const auditActions: readonly (readonly [action: string, entity: string, weight: number])[] = [
  ['login', 'user', 30], ['view', 'product', 25], ['update_price', 'product', 5], ['create', 'order', 15],
  ['refund', 'payment', 2], ['export', 'report', 3], ['update', 'customer', 8], ['restock', 'inventory', 10], ['delete', 'review', 2],
];
const staff = ['anna.ops', 'erik.admin', 'maria.support', 'jon.warehouse', 'li.finance', 'system'];

const start = Date.UTC(2024, 0, 1);
const twoYears = Date.UTC(2026, 0, 1) - start;
const day = 86_400_000;

function timestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function asciiLocal(text: string): string {
  // NFD strips accents; letters with no decomposition (ø, ß, ł …) get their usual spelling in addresses.
  const ascii = text.replace(/[øØæÆßłŁđĐœŒþÞı]/g, (c) => letterSpellings[c] ?? '');
  return ascii.normalize('NFD').replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'user';
}

/** How many rows of each table the demo database gets. Exported for the tests. */
export const demoRowTargets = {
  categories: 36,
  suppliers: 60,
  warehouses: 5,
  products: 1_500,
  customers: 5_000,
  orders: 18_000,
  reviews: 6_000,
  audit_events: 10_000,
} as const;

/**
 * Writes the demo database to `path`, replacing any file there only once the new one is complete (temp file,
 * then rename), so a crash or a concurrent first start never leaves a half-written demo behind.
 * Defaults to seed 20240101; other seeds give other, equally deterministic, shops.
 */
export function generateDemoDb(path: string, seed = 20240101): void {
  const temp = `${path}.tmp-${process.pid}`;
  let db: Database.Database | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    rmSync(temp, { force: true });
    db = new Database(temp);
    // The temp file is thrown away on failure, so durability during the build buys nothing.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = ON');
    db.exec(schema);
    const target = db;
    target.transaction(() => fill(target, new SeededRandom(seed)))();
    db.exec('analyze');
    db.close();
    renameSync(temp, path);
  } catch (error) {
    try {
      if (db?.open) db.close();
      rmSync(temp, { force: true });
    } catch {
      // Cleaning up after a failure must not hide the failure.
    }
    throw new Error(`Could not generate the demo database at ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function fill(db: Database.Database, rnd: SeededRandom): void {
  const insertCategory = db.prepare('insert into categories (id, parent_id, name, slug) values (?, ?, ?, ?)');
  let categoryId = 0;
  const leafCategories: number[] = [];
  for (const [parent, children] of categoryTree) {
    const parentId = ++categoryId;
    insertCategory.run(parentId, null, parent, slugify(parent));
    for (const child of children) {
      insertCategory.run(++categoryId, parentId, child, `${slugify(parent)}-${slugify(child)}`);
      leafCategories.push(categoryId);
    }
  }

  const insertSupplier = db.prepare('insert into suppliers (id, name, country, city, email, phone) values (?, ?, ?, ?, ?, ?)');
  for (let id = 1; id <= demoRowTargets.suppliers; id++) {
    const [city, country] = rnd.pick(places);
    const name = `${rnd.pick(supplierWords)} ${rnd.pick(supplierWords)} ${rnd.pick(supplierSuffixes)}`;
    const phone = rnd.chance(0.2) ? null : `+${rnd.int(1, 99)} ${rnd.int(100, 999)} ${rnd.int(1000, 9999)}`;
    insertSupplier.run(id, name, country, city, `orders${id}@${slugify(name)}.example`, phone);
  }

  const insertWarehouse = db.prepare('insert into warehouses (id, code, city, country) values (?, ?, ?, ?)');
  const warehouseSites: readonly (readonly [string, string, string])[] = [['STO1', 'Stockholm', 'SE'], ['BER1', 'Berlin', 'DE'], ['MAD1', 'Madrid', 'ES'], ['DUB1', 'Dublin', 'IE'], ['WAW1', 'Warszawa', 'PL']];
  warehouseSites.forEach(([code, city, country], i) => insertWarehouse.run(i + 1, code, city, country));

  const insertProduct = db.prepare('insert into products (id, sku, name, category_id, supplier_id, price, cost, weight_grams, attributes, active, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const prices: number[] = [0];
  for (let id = 1; id <= demoRowTargets.products; id++) {
    const category = rnd.pick(leafCategories);
    const categoryName = categoryTree.flatMap(([, c]) => c)[leafCategories.indexOf(category)]!;
    const material = rnd.pick(materials);
    const name = `${rnd.pick(adjectives)} ${material} ${categoryName.toLowerCase().replace(/s$/, '')}`;
    const price = rnd.price(2, rnd.chance(0.1) ? 900 : 150);
    prices.push(price);
    const attributes = rnd.chance(0.15)
      ? null
      : JSON.stringify({ color: rnd.pick(colors), material, tags: [rnd.pick(adjectives).toLowerCase(), slugify(categoryName)], dimensions_cm: { w: rnd.int(5, 120), h: rnd.int(2, 90), d: rnd.int(2, 60) }, eco: rnd.chance(0.3) });
    insertProduct.run(id, `SKU-${String(category).padStart(2, '0')}-${String(id).padStart(5, '0')}`, name, category, rnd.int(1, demoRowTargets.suppliers), price, Math.round(price * (0.35 + rnd.next() * 0.4) * 100) / 100, rnd.chance(0.1) ? null : rnd.int(20, 25_000), attributes, rnd.chance(0.93) ? 1 : 0, timestamp(start - rnd.int(0, 365) * day));
  }

  const insertInventory = db.prepare('insert into inventory (warehouse_id, product_id, quantity, reorder_level, updated_at) values (?, ?, ?, ?, ?)');
  for (let product = 1; product <= demoRowTargets.products; product++) {
    for (let warehouse = 1; warehouse <= warehouseSites.length; warehouse++) {
      if (rnd.chance(0.6)) insertInventory.run(warehouse, product, rnd.chance(0.05) ? 0 : rnd.int(1, 800), rnd.pick([5, 10, 20, 50]), timestamp(start + rnd.next() * twoYears));
    }
  }

  const insertCustomer = db.prepare('insert into customers (id, first_name, last_name, email, city, country, phone, marketing_opt_in, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const customerPlaces: (readonly [string, string])[] = [['', '']];
  const customerSince: number[] = [0];
  for (let id = 1; id <= demoRowTargets.customers; id++) {
    const first = rnd.pick(firstNames);
    const last = rnd.pick(lastNames);
    const place = rnd.pick(places);
    customerPlaces.push(place);
    const since = start + rnd.next() * twoYears * 0.9;
    customerSince.push(since);
    const email = `${asciiLocal(first)}.${asciiLocal(last)}${id}@${rnd.pick(emailDomains)}`;
    const phone = rnd.chance(0.3) ? null : `+${rnd.int(1, 99)} ${rnd.int(10, 99)} ${rnd.int(100, 999)} ${rnd.int(10, 99)} ${rnd.int(10, 99)}`;
    insertCustomer.run(id, first, last, email, place[0], place[1], phone, rnd.chance(0.4) ? 1 : 0, timestamp(since));
  }

  const insertOrder = db.prepare('insert into orders (id, customer_id, status, ordered_at, shipped_at, shipping_city, shipping_country, total, note) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertItem = db.prepare('insert into order_items (order_id, line_no, product_id, quantity, unit_price, discount) values (?, ?, ?, ?, ?, ?)');
  const insertPayment = db.prepare('insert into payments (order_id, method, amount, currency, status, paid_at, provider_ref) values (?, ?, ?, ?, ?, ?, ?)');
  const notes = ['Leave at the door', 'Gift wrap, please', 'Call before delivery', 'Fragile!', 'Deliver after 17:00', 'Portkod 1234'];
  let paymentRef = 0;
  for (let id = 1; id <= demoRowTargets.orders; id++) {
    // A few loyal customers place many orders: skew towards low ids. Only + - * / here and below, which IEEE 754
    // rounds the same everywhere (Math.pow and ** may differ in the last bit between engines).
    const u = rnd.next();
    const customer = Math.min(demoRowTargets.customers, 1 + Math.floor(demoRowTargets.customers * u * (0.4 + 0.6 * u)));
    const since = customerSince[customer]!;
    const orderedAt = since + rnd.next() * (start + twoYears - since);
    const status = rnd.weighted([['delivered', 62], ['shipped', 12], ['paid', 8], ['pending', 8], ['cancelled', 7], ['refunded', 3]] as const);
    const shippedAt = status === 'delivered' || status === 'shipped' || status === 'refunded' ? timestamp(orderedAt + rnd.int(1, 6) * day + rnd.int(0, 86_399) * 1000) : null;
    const lines = rnd.weighted([[1, 35], [2, 30], [3, 18], [4, 10], [5, 5], [8, 2]] as const);
    let total = 0;
    const items: [orderId: number, line: number, product: number, quantity: number, unitPrice: number, discount: number][] = [];
    for (let line = 1; line <= lines; line++) {
      const product = rnd.int(1, demoRowTargets.products);
      const quantity = rnd.weighted([[1, 70], [2, 18], [3, 7], [5, 3], [10, 2]] as const);
      const discount = rnd.chance(0.15) ? rnd.pick([0.05, 0.1, 0.15, 0.2]) : 0;
      const unitPrice = prices[product]!;
      total += quantity * unitPrice * (1 - discount);
      items.push([id, line, product, quantity, unitPrice, discount]);
    }
    total = Math.round(total * 100) / 100;
    const [city, country] = rnd.chance(0.9) ? customerPlaces[customer]! : rnd.pick(places);
    insertOrder.run(id, customer, status, timestamp(orderedAt), shippedAt, city, country, total, rnd.chance(0.05) ? rnd.pick(notes) : null);
    for (const item of items) insertItem.run(...item);
    if (status !== 'pending') {
      const method = rnd.weighted([['card', 60], ['invoice', 15], ['paypal', 15], ['swish', 7], ['gift_card', 3]] as const);
      const paymentStatus = status === 'cancelled' ? 'voided' : status === 'refunded' ? 'refunded' : 'captured';
      insertPayment.run(id, method, total, 'EUR', paymentStatus, timestamp(orderedAt + rnd.int(0, 3600) * 1000), rnd.chance(0.02) ? null : `PAY-${(++paymentRef).toString(36).toUpperCase().padStart(7, '0')}`);
    }
  }

  const insertReview = db.prepare('insert into reviews (id, product_id, customer_id, rating, title, body, created_at) values (?, ?, ?, ?, ?, ?, ?)');
  for (let id = 1; id <= demoRowTargets.reviews; id++) {
    const rating = rnd.weighted([[5, 45], [4, 28], [3, 12], [2, 7], [1, 8]] as const);
    insertReview.run(id, rnd.int(1, demoRowTargets.products), rnd.int(1, demoRowTargets.customers), rating, rnd.chance(0.1) ? null : rnd.pick(reviewTitles), rnd.chance(0.35) ? null : rnd.pick(reviewBodies), timestamp(start + rnd.next() * twoYears));
  }

  const insertAudit = db.prepare('insert into audit_events (id, occurred_at, actor, action, entity, entity_id, payload) values (?, ?, ?, ?, ?, ?, ?)');
  const actions = auditActions.map(([action, entity, weight]) => [[action, entity], weight] as const);
  for (let id = 1; id <= demoRowTargets.audit_events; id++) {
    const [action, entity] = rnd.weighted(actions);
    const entityId = entity === 'report' ? null : rnd.int(1, entity === 'order' ? demoRowTargets.orders : entity === 'customer' || entity === 'user' ? demoRowTargets.customers : demoRowTargets.products);
    const payload = rnd.chance(0.2) ? null : JSON.stringify({ ip: `10.${rnd.int(0, 255)}.${rnd.int(0, 255)}.${rnd.int(1, 254)}`, ua: rnd.pick(['quarry-cli/0.1', 'Mozilla/5.0', 'curl/8.5']), ...(action === 'update_price' ? { old: rnd.price(2, 150), new: rnd.price(2, 150) } : {}) });
    insertAudit.run(id, timestamp(start + (id / demoRowTargets.audit_events) * twoYears + rnd.int(0, 3_600_000)), rnd.pick(staff), action, entity, entityId, payload);
  }
}
