// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANPixelAccess_h
#define itkRevGANPixelAccess_h

#include "itkNumericTraits.h"

#include <type_traits>

namespace itk
{

/** \class RevGANPixelAccess
 * \brief Reads and writes the components of a pixel as floats: one component for scalars, and
 * operator[] for vectors, variable-length vectors and tensors (in their own memory order).
 */
template<typename TPixel, bool IsScalar = std::is_arithmetic<TPixel>::value>
struct RevGANPixelAccess
{
  /// The type of one component of the pixel.
  using ComponentType = typename NumericTraits<TPixel>::ValueType;

  /// Component `component` of `pixel` (not bounds-checked), converted to float.
  static float
  Get(const TPixel & pixel, unsigned int component)
  {
    return static_cast<float>(pixel[component]);
  }
  /// Sets component `component` of `pixel` (not bounds-checked) to `value`, converted to the component type.
  static void
  Set(TPixel & pixel, unsigned int component, float value)
  {
    pixel[component] = static_cast<ComponentType>(value);
  }
  /** Gives a variable-length pixel `length` components (fixed-size pixels must already have it). */
  static void
  SetLength(TPixel & pixel, unsigned int length)
  {
    NumericTraits<TPixel>::SetLength(pixel, length);
  }
};

/// RevGANPixelAccess for scalar pixels: the pixel is its one component, whatever index is asked for.
template<typename TPixel>
struct RevGANPixelAccess<TPixel, true>
{
  /// The pixel's value, converted to float; the component index is ignored.
  static float
  Get(const TPixel & pixel, unsigned int)
  {
    return static_cast<float>(pixel);
  }
  /// Sets the pixel to `value`, converted to the pixel type; the component index is ignored.
  static void
  Set(TPixel & pixel, unsigned int, float value)
  {
    pixel = static_cast<TPixel>(value);
  }
  /// Does nothing: a scalar always has one component.
  static void
  SetLength(TPixel &, unsigned int)
  {
  }
};

} // namespace itk

#endif
