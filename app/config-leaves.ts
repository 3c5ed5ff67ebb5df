/**
 * Walks a config (any JSON-like tree) and calls `visit` once per leaf with its dotted path, e.g.
 * `optimizer.lr → 0.01`. Arrays are leaves (`model.hidden → [8, 4]`); objects are walked into.
 * The URL codec writes each leaf as `path=value`; run labels compare leaves across configs.
 */
export function forEachLeaf(value: unknown, visit: (path: string, leaf: unknown) => void): void {
  const walk = (node: unknown, path: string) => {
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k);
    } else {
      visit(path, node);
    }
  };
  walk(value, '');
}
