// SPDX-License-Identifier: Apache-2.0
/* Writes and checks DTI NIfTI files with niftilib alone (no ITK), so that tests can prove the
 * tensor component order independently of ITK's reader and writer, which a round trip through
 * ITK alone cannot (a swap made on both read and write cancels out).
 *
 *   nifti-dti-fixture write FILE   3×4×5 volume, intent SYMMATRIX, dim[5] = 6, stored in NIfTI's
 *                                  lower-triangular order (Dxx, Dxy, Dyy, Dxz, Dyz, Dzz); the value of
 *                                  stored component k at voxel v is 100·(k+1) + v.
 *   nifti-dti-fixture check FILE   exit 0 if FILE holds exactly that (any float datatype). */
#include <nifti2_io.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

enum
{
  NX = 3,
  NY = 4,
  NZ = 5
};

static double
expected(int component, int voxel)
{
  return 100.0 * (component + 1) + voxel;
}

int
main(int argc, char ** argv)
{
  if (argc != 3 || (strcmp(argv[1], "write") != 0 && strcmp(argv[1], "check") != 0))
  {
    fprintf(stderr, "usage: %s write|check FILE\n", argv[0]);
    return 2;
  }
  const int voxels = NX * NY * NZ;
  if (strcmp(argv[1], "write") == 0)
  {
    const int64_t dims[8] = { 5, NX, NY, NZ, 1, 6, 1, 1 };
    nifti_image * image = nifti_make_new_nim(dims, NIFTI_TYPE_FLOAT32, 1);
    image->intent_code = NIFTI_INTENT_SYMMATRIX;
    image->nifti_type = NIFTI_FTYPE_NIFTI1_1;
    float * data = (float *)image->data;
    for (int k = 0; k < 6; ++k)
      for (int v = 0; v < voxels; ++v)
        data[k * voxels + v] = (float)expected(k, v);
    if (nifti_set_filenames(image, argv[2], 0, 1) != 0)
    {
      fprintf(stderr, "cannot use file name %s\n", argv[2]);
      return 1;
    }
    nifti_image_write(image);
    nifti_image_free(image);
    return 0;
  }
  nifti_image * image = nifti_image_read(argv[2], 1);
  if (!image)
  {
    fprintf(stderr, "%s: cannot read\n", argv[2]);
    return 1;
  }
  int ok = image->intent_code == NIFTI_INTENT_SYMMATRIX && image->dim[5] == 6 && image->nx == NX && image->ny == NY &&
           image->nz == NZ && (image->datatype == NIFTI_TYPE_FLOAT32 || image->datatype == NIFTI_TYPE_FLOAT64);
  if (!ok)
  {
    fprintf(stderr,
            "%s: intent %d, dim[5] %d, size %dx%dx%d, datatype %d\n",
            argv[2],
            image->intent_code,
            (int)image->dim[5],
            (int)image->nx,
            (int)image->ny,
            (int)image->nz,
            image->datatype);
    return 1;
  }
  for (int k = 0; k < 6; ++k)
    for (int v = 0; v < voxels; ++v)
    {
      const double value = image->datatype == NIFTI_TYPE_FLOAT32 ? ((float *)image->data)[k * voxels + v]
                                                                 : ((double *)image->data)[k * voxels + v];
      if (fabs(value - expected(k, v)) > 1e-3)
      {
        fprintf(
          stderr, "%s: stored component %d at voxel %d is %g, expected %g\n", argv[2], k, v, value, expected(k, v));
        return 1;
      }
    }
  nifti_image_free(image);
  return 0;
}
