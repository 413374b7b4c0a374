/**
 * PyTorch checkpoints (`pytorch_model.bin`, the zip format of torch.save) read without Python and without
 * running any of the file's code: a restricted unpickler (unpickler.ts) over a zip reader (zip-archive.ts).
 */
export { TorchCheckpoint } from "./torch-checkpoint.js";
