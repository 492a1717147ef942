// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

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
/// data.pkl and a version record LibTorch reads, code records that declare attributes only
/// (no `def`), and tensor data that claims no more bytes than its record holds. Throws
/// ModelFileError naming `path` and the problem otherwise. Archives of 4 GiB and more (zip64) are
/// refused.
void
checkModelArchive(const std::string & bytes, const std::string & path);

/// The tensor data a pickle's persistent id names: LibTorch reads record `<pickle's name without
/// .pkl>/<key>` and trusts `bytes` (the element count times the element size the id claims) as
/// the size of what it read.
struct StorageClaim
{
  std::string key;
  uint64_t    bytes{ 0 };
  size_t      at{ 0 }; ///< the BINPERSID opcode's byte in the pickle
};

/// Part of checkModelArchive, for each pickle record (data.pkl, constants.pkl, …): walks the
/// opcodes without running them and throws ModelFileError naming `path` and `record` when an
/// opcode is not one of Python's pickle opcodes, claims an argument longer than the bytes that
/// follow it, or the pickle has no STOP. LibTorch's unpickler allocates what such a length claims
/// before it finds the record too short (found by Testing/Fuzz: a few bytes made it fill gigabytes).
/// Returns the tensor data the pickle's persistent ids claim; a persistent id that is not laid out
/// as LibTorch's writer lays it out (so that its key and size could not be read here) is refused.
std::vector<StorageClaim>
checkPickle(const std::string & pickle, const std::string & record, const std::string & path);

/// Part of checkModelArchive, after every record was read: LibTorch's unpickler sizes each storage
/// as the element count times the element size its persistent id claims and never compares that
/// with the size of the record it reads (found by Testing/Fuzz: a claim larger than the record
/// made every read of the tensor's values run past the memory LibTorch had allocated). Throws
/// ModelFileError naming `path` when a claim of `pickle` (a record's name) names a record that is
/// missing or smaller than the claim; `sizes` holds every record's size by its name in lower case
/// (LibTorch finds records regardless of case).
void
checkStorageClaims(const std::string &                     pickle,
                   const std::vector<StorageClaim> &       claims,
                   const std::map<std::string, uint32_t> & sizes,
                   const std::string &                     path);

} // namespace revgan
