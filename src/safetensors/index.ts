/**
 * safetensors: read (header validated up front, tensors read on demand) and write (byte-compatible with the
 * reference implementation). See read.ts and write.ts.
 */
export { SAFETENSORS_DTYPES, dtypeSizeBytes, type SafetensorsDtype } from "./dtypes.js";
export { bf16ToF32, f16ToF32 } from "./float-convert.js";
export { MAX_HEADER_BYTES, type TensorInfo } from "./header.js";
export { SafetensorsFile, readSafetensors } from "./read.js";
export { encodeSafetensors, writeSafetensors, type TensorToWrite, type TensorsToWrite } from "./write.js";
