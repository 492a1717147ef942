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
/// data.pkl and a version record, and code records that declare attributes only (no `def`). Throws ModelFileError
/// naming `path` and the problem otherwise. Archives of 4 GiB and more (zip64) are refused.
void
checkModelArchive(const std::string & bytes, const std::string & path);

} // namespace revgan
