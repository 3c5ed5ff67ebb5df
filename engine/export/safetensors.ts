/**
 * A minimal .safetensors writer: an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and byte range (plus string metadata), then the raw little-endian
 * data. The exported scripts read it without any package.
 */

export type NamedArray = {
  readonly shape: readonly number[];
  readonly values: Float32Array | Float64Array | Int32Array | Uint8Array;
};

function dtypeOf(values: NamedArray['values']): string {
  if (values instanceof Float32Array) return 'F32';
  if (values instanceof Float64Array) return 'F64';
  if (values instanceof Int32Array) return 'I32';
  return 'U8';
}

export function encodeSafetensors(
  tensors: Readonly<Record<string, NamedArray>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  const names = Object.keys(tensors);
  for (const name of names) {
    const { shape, values } = tensors[name];
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== values.length)
      throw new Error(`${name}: shape [${shape.join(', ')}] does not hold ${values.length} values`);
    header[name] = {
      dtype: dtypeOf(values),
      shape: [...shape],
      data_offsets: [offset, offset + values.byteLength],
    };
    offset += values.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const name of names) {
    const { values } = tensors[name];
    // Typed arrays are little-endian on every platform the playground runs on.
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
    at += values.byteLength;
  }
  return out;
}
