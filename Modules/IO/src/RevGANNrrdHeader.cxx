// SPDX-License-Identifier: Apache-2.0
#include "itkRevGANNrrdHeader.h"

#include "NrrdIO.h"
#include "itkMacro.h"

#include <cstdlib>
#include <memory>

namespace itk
{

bool
IsRevGANNrrdFile(const std::string & fileName)
{
  auto endsWith = [&](const std::string & suffix)
  {
    return fileName.size() >= suffix.size() &&
           fileName.compare(fileName.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return endsWith(".nrrd") || endsWith(".nhdr") || endsWith(".NRRD") || endsWith(".NHDR");
}

RevGANNrrdHeader
ReadRevGANNrrdHeader(const std::string & fileName)
{
  const std::unique_ptr<Nrrd, Nrrd * (*)(Nrrd *)>                      nrrd(nrrdNew(), nrrdNix);
  const std::unique_ptr<NrrdIoState, NrrdIoState * (*)(NrrdIoState *)> state(nrrdIoStateNew(), nrrdIoStateNix);
  nrrdIoStateSet(state.get(), nrrdIoStateSkipData, 1);
  if (nrrdLoad(nrrd.get(), fileName.c_str(), state.get()) != 0)
  {
    char *      text = biffGetDone(NRRD);
    std::string reason = text ? text : "unknown error";
    std::free(text);
    for (auto & c : reason)
      c = c == '\n' ? ' ' : c;
    itkGenericExceptionMacro(<< "'" << fileName << "': not a NRRD header teem can read: " << reason);
  }
  RevGANNrrdHeader header;
  unsigned int     rangeAxes[NRRD_DIM_MAX];
  if (nrrdRangeAxesGet(nrrd.get(), rangeAxes) == 1)
  {
    const NrrdAxisInfo & axis = nrrd->axis[rangeAxes[0]];
    header.rangeKind = axis.kind == nrrdKindUnknown ? "" : airEnumStr(nrrdKind, axis.kind);
    header.rangeSize = static_cast<unsigned int>(axis.size);
  }
  if (nrrd->space != nrrdSpaceUnknown)
    header.space = airEnumStr(nrrdSpace, nrrd->space);
  header.hasMeasurementFrame = nrrd->spaceDim > 0 && AIR_EXISTS(nrrd->measurementFrame[0][0]);
  return header;
}

} // namespace itk
