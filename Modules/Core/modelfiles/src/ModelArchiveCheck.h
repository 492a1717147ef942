#pragma once

#include <string>

namespace revgan
{

/// \brief Checks the bytes of a model or checkpoint file before LibTorch parses them: model files
/// are treated as data.
///
/// LibTorch's archive reader trusts the zip container (it does not verify the records' CRCs,
/// and a torn or crafted file reaches its unpickler) and compiles the TorchScript in the
/// archive's code/ records, whose methods (e.g. `__setstate__`) run while loading. This check
/// accepts only what the toolkit writes: a zip archive of records that lie inside the file, stored
/// as they are (tensors) or deflated (small code records), each matching its CRC-32, with a
/// data.pkl and a version record LibTorch reads, and code records that declare attributes only
/// (no `def`). Throws ModelFileError naming `path` and the problem otherwise. Archives of 4 GiB
/// and more (zip64) are refused.
void
checkModelArchive(const std::string & bytes, const std::string & path);

/// Part of checkModelArchive, for each pickle record (data.pkl, constants.pkl, …): walks the
/// opcodes without running them and throws ModelFileError naming `path` and `record` when an
/// opcode is not one of Python's pickle opcodes, claims an argument longer than the bytes that
/// follow it, or the pickle has no STOP. LibTorch's unpickler allocates what such a length claims
/// before it finds the record too short (found by Testing/Fuzz: a few bytes made it fill gigabytes).
void
checkPickleLengths(const std::string & pickle, const std::string & record, const std::string & path);

} // namespace revgan
