// Audio watermark kernels.
