/** Words too common in questions to say anything about which table is meant. */
const STOP_WORDS = new Set(
  'a an the of for in on at to by with and or not no all any each every per from into than then that this these those is are was were be been has have had do does did which what who whom whose when where why how many much most least more less top show list give get find me my our their its it as first last new over under between each there there'.split(' '),
);

/**
 * A word reduced to a rough stem, so "orders", "ordered" and "order_items"' "order" meet. Deliberately crude
 * (no dictionary): it only has to make a question's words and a schema's identifiers agree more often than not.
 */
export function stemWord(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && /(sses|xes|ches|shes)$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  return w;
}

/**
 * The stemmed words of an identifier (order_items → order, item; customerId → customer, id) or of a question,
 * stop words and one-letter words left out.
 */
export function identifierWords(text: string): string[] {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+|_/u)
    .filter((w) => w.length > 1 && !/^\d+$/.test(w))
    .map((w) => w.toLowerCase())
    .filter((w) => !STOP_WORDS.has(w));
  return [...new Set(words.map(stemWord))];
}
