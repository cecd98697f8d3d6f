// Image watermark kernels.
