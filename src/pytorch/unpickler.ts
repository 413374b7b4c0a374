/**
 * A restricted unpickler for the `data.pkl` of a PyTorch state dict. Written by hand because no JavaScript
 * library reads pickles safely: a pickle is a program for Python's pickle VM, and the general readers either
 * refuse torch's opcodes or hand back arbitrary "globals" for the caller to resolve. This one interprets the
 * opcodes as *data* and accepts only what `torch.save(model.state_dict())` writes (as torch's own
 * `weights_only=True` unpickler does, with a narrower allowlist):
 *
 *   globals    collections.OrderedDict, torch._utils._rebuild_tensor_v2 / _rebuild_tensor / _rebuild_parameter,
 *              and the storage classes torch.{Float,Half,BFloat16,Double,Long,Int,Short,Char,Byte,Bool}Storage;
 *   REDUCE     only those callables (an empty OrderedDict, a tensor rebuilt from a storage);
 *   BUILD      only attributes set on an OrderedDict (the `_metadata` HF checkpoints carry);
 *   BINPERSID  only ('storage', <storage class>, key, location, numel).
 *
 * Anything else — another global (os.system, builtins.eval, …), NEWOBJ, INST, EXT, protocol-0 text opcodes —
 * is an INVALID_FILE error naming the file and the opcode or global: nothing is ever called or imported,
 * so no code from the file runs. Opcode reference: CPython `Lib/pickletools.py` and `Lib/pickle.py`.
 */
import { SpladeError } from "../util/errors.js";

/** A storage of the archive, as named by a persistent id: `{archive}/data/{key}`. */
export interface StorageRef {
  readonly kind: "storage";
  readonly storageClass: string;
  readonly key: string;
  readonly location: string;
  readonly numel: number;
}

/** A tensor view of a storage (offset, shape and stride in elements). */
export interface TensorRef {
  readonly kind: "tensor";
  readonly storage: StorageRef;
  readonly offset: number;
  readonly shape: number[];
  readonly stride: number[];
}

export class PickleDict {
  readonly entries = new Map<PickleValue, PickleValue>();
  /** Attributes set by BUILD (an OrderedDict's `_metadata`). */
  readonly attributes = new Map<string, PickleValue>();
}

interface PickleTuple {
  readonly kind: "tuple";
  readonly items: PickleValue[];
}

interface PickleGlobal {
  readonly kind: "global";
  readonly name: string;
}

export type PickleValue = null | boolean | number | string | PickleValue[] | PickleTuple | PickleDict | PickleGlobal | StorageRef | TensorRef;

/** Storage classes torch.save names, with the element type as safetensors spells it. */
export const STORAGE_DTYPES: Readonly<Record<string, string>> = {
  FloatStorage: "F32",
  HalfStorage: "F16",
  BFloat16Storage: "BF16",
  DoubleStorage: "F64",
  LongStorage: "I64",
  IntStorage: "I32",
  ShortStorage: "I16",
  CharStorage: "I8",
  ByteStorage: "U8",
  BoolStorage: "BOOL",
};

const CALLABLES = new Set(["collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter"]);
const ALLOWED_GLOBALS = new Set([...CALLABLES, ...Object.keys(STORAGE_DTYPES).map((c) => `torch.${c}`)]);

const MARK = Symbol("mark");
type StackItem = PickleValue | typeof MARK;

class Reader {
  position = 0;
  private readonly view: DataView;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly fail: (problem: string) => never,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** Moves past `n` bytes and returns where they start. */
  private advance(n: number): number {
    if (n < 0 || this.position + n > this.bytes.byteLength) this.fail(`truncated pickle (needs ${n} bytes at offset ${this.position})`);
    this.position += n;
    return this.position - n;
  }
  take(n: number): Uint8Array {
    const at = this.advance(n);
    return this.bytes.subarray(at, at + n);
  }
  u8 = () => this.view.getUint8(this.advance(1));
  u16 = () => this.view.getUint16(this.advance(2), true);
  u32 = () => this.view.getUint32(this.advance(4), true);
  i32 = () => this.view.getInt32(this.advance(4), true);
  f64 = () => this.view.getFloat64(this.advance(8), false); // BINFLOAT is big-endian
  u64(): number {
    const value = this.view.getBigUint64(this.advance(8), true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`length ${value} is too large`);
    return Number(value);
  }
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.position);
    if (end < 0) this.fail("truncated pickle (unterminated line)");
    return new TextDecoder().decode(this.take(end - this.position + 1).subarray(0, -1));
  }
  utf8(n: number): string {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(this.take(n));
    } catch (e) {
      if (e instanceof SpladeError) throw e;
      return this.fail("a string is not valid UTF-8");
    }
  }
}

/** LONG1: little-endian two's complement. */
function decodeLong(bytes: Uint8Array, fail: (problem: string) => never): number {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  if (bytes.length > 0 && bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(8 * bytes.length);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) fail(`integer ${value} is out of range`);
  return Number(value);
}

const isTuple = (v: PickleValue): v is PickleTuple => typeof v === "object" && v !== null && !Array.isArray(v) && "kind" in v && v.kind === "tuple";
const isInt = (v: PickleValue): v is number => typeof v === "number" && Number.isSafeInteger(v);

/** Interprets `bytes` (a pickle) under the restrictions in the header; `file` names it in errors. */
export function unpickle(bytes: Uint8Array, file: string): PickleValue {
  const fail: (problem: string) => never = (problem) => {
    throw new SpladeError("INVALID_FILE", `${file}: refused to unpickle: ${problem}`, { path: file });
  };
  const r = new Reader(bytes, fail);
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();
  const pop = (): PickleValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) return fail("stack underflow");
    return v;
  };
  const top = (): PickleValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) return fail("stack underflow");
    return v;
  };
  const popMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail("MARK missing");
    const items = stack.splice(at) as PickleValue[];
    return items.slice(1);
  };
  const global = (module: string, name: string): PickleGlobal => {
    const qualified = `${module}.${name}`;
    if (!ALLOWED_GLOBALS.has(qualified)) fail(`forbidden global '${qualified}' (a state dict references only torch's tensor-rebuild functions, storage classes and OrderedDict); nothing was run`);
    return { kind: "global", name: qualified };
  };
  const setItems = (target: PickleValue, items: PickleValue[]) => {
    if (!(target instanceof PickleDict)) fail("SETITEM(S) on something that is not a dict");
    if (items.length % 2 !== 0) fail("SETITEMS with an odd number of items");
    for (let i = 0; i < items.length; i += 2) target.entries.set(items[i], items[i + 1]);
  };
  const append = (target: PickleValue, items: PickleValue[]) => {
    if (!Array.isArray(target)) fail("APPEND(S) on something that is not a list");
    target.push(...items);
  };

  for (;;) {
    const at = r.position;
    const op = r.u8();
    switch (op) {
      case 0x80: { // PROTO
        const protocol = r.u8();
        if (protocol > 5) fail(`pickle protocol ${protocol}`);
        break;
      }
      case 0x95: r.u64(); break; // FRAME (length only; frames are contiguous)
      case 0x2e: { // STOP
        if (stack.length !== 1) fail(`STOP with ${stack.length} items on the stack`);
        return pop();
      }
      case 0x28: stack.push(MARK); break; // MARK
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: stack.push(r.u8()); break; // BININT1
      case 0x4d: stack.push(r.u16()); break; // BININT2
      case 0x4a: stack.push(r.i32()); break; // BININT
      case 0x8a: stack.push(decodeLong(r.take(r.u8()), fail)); break; // LONG1
      case 0x47: stack.push(r.f64()); break; // BINFLOAT
      case 0x58: stack.push(r.utf8(r.u32())); break; // BINUNICODE
      case 0x8c: stack.push(r.utf8(r.u8())); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(r.utf8(r.u64())); break; // BINUNICODE8
      case 0x7d: stack.push(new PickleDict()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push({ kind: "tuple", items: [] }); break; // EMPTY_TUPLE
      case 0x74: stack.push({ kind: "tuple", items: popMark() }); break; // TUPLE
      case 0x85: stack.push({ kind: "tuple", items: [pop()] }); break; // TUPLE1
      case 0x86: { const b = pop(); stack.push({ kind: "tuple", items: [pop(), b] }); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); stack.push({ kind: "tuple", items: [pop(), b, c] }); break; } // TUPLE3
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x64: { const d = new PickleDict(); setItems(d, popMark()); stack.push(d); break; } // DICT
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x61: { const v = pop(); append(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); append(top(), items); break; } // APPENDS
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x71: memo.set(r.u8(), top()); break; // BINPUT
      case 0x72: memo.set(r.u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const index = op === 0x68 ? r.u8() : r.u32();
        if (!memo.has(index)) fail(`memo entry ${index} is not set`);
        stack.push(memo.get(index)!);
        break;
      }
      case 0x63: { const module = r.line(); stack.push(global(module, r.line())); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string") fail("STACK_GLOBAL needs two strings");
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x51: stack.push(persistentLoad(pop(), fail)); break; // BINPERSID
      case 0x52: { const args = pop(); stack.push(reduce(pop(), args, fail)); break; } // REDUCE
      case 0x62: { // BUILD
        const state = pop();
        const target = top();
        if (!(target instanceof PickleDict) || !(state instanceof PickleDict)) fail("BUILD is only accepted as attributes of an OrderedDict");
        for (const [k, v] of (state as PickleDict).entries) {
          if (typeof k !== "string") fail("BUILD with a non-string attribute name");
          (target as PickleDict).attributes.set(k as string, v);
        }
        break;
      }
      default:
        fail(`opcode 0x${op.toString(16).padStart(2, "0")} (${JSON.stringify(String.fromCharCode(op))}) at offset ${at} is not accepted in a state dict`);
    }
  }
}

function persistentLoad(pid: PickleValue, fail: (problem: string) => never): StorageRef {
  if (!isTuple(pid) || pid.items.length !== 5 || pid.items[0] !== "storage") fail("a persistent id is not ('storage', class, key, location, numel)");
  const [, storageClass, key, location, numel] = (pid as PickleTuple).items;
  const className = typeof storageClass === "object" && storageClass !== null && "kind" in storageClass && storageClass.kind === "global" ? storageClass.name : "";
  if (!className.startsWith("torch.") || !(className.slice(6) in STORAGE_DTYPES)) fail("a persistent id does not name a torch storage class");
  if (typeof key !== "string" || typeof location !== "string" || !isInt(numel) || numel < 0) fail("a storage's key, location or size is malformed");
  return { kind: "storage", storageClass: className.slice(6), key: key as string, location: location as string, numel: numel as number };
}

function intList(v: PickleValue, what: string, fail: (problem: string) => never): number[] {
  if (!isTuple(v) || !v.items.every((x) => isInt(x) && x >= 0)) fail(`a tensor's ${what} is not a tuple of non-negative integers`);
  return (v as PickleTuple).items as number[];
}

function reduce(callable: PickleValue, args: PickleValue, fail: (problem: string) => never): PickleValue {
  const name = typeof callable === "object" && callable !== null && "kind" in callable && callable.kind === "global" ? callable.name : undefined;
  if (name === undefined || !CALLABLES.has(name)) fail("REDUCE on something that is not an accepted callable");
  if (!isTuple(args)) fail(`${name} called without an argument tuple`);
  const a = (args as PickleTuple).items;
  if (name === "collections.OrderedDict") {
    if (a.length !== 0) fail("OrderedDict called with arguments");
    return new PickleDict();
  }
  if (name === "torch._utils._rebuild_parameter") {
    const data = a[0];
    if (a.length < 1 || typeof data !== "object" || data === null || !("kind" in data) || data.kind !== "tensor") fail("_rebuild_parameter without a tensor");
    return data;
  }
  // _rebuild_tensor(storage, offset, size, stride) and _rebuild_tensor_v2(…, requires_grad, backward_hooks[, metadata]).
  const [storage, offset, size, stride] = a;
  if (a.length < 4 || typeof storage !== "object" || storage === null || !("kind" in storage) || storage.kind !== "storage") fail(`${name} without a storage`);
  if (!isInt(offset) || offset < 0) fail(`${name}: storage offset is not a non-negative integer`);
  const shape = intList(size, "size", fail);
  const strides = intList(stride, "stride", fail);
  if (shape.length !== strides.length) fail(`${name}: size and stride differ in length`);
  return { kind: "tensor", storage: storage as StorageRef, offset: offset as number, shape, stride: strides };
}
