/**
 * Optimisers that update {@link dev.recur.train.Parameters} in place from their gradients: {@link
 * dev.recur.train.optim.Sgd} (momentum, Nesterov, coupled weight decay) and {@link dev.recur.train.optim.AdamW}
 * (Kingma and Ba 2015; Loshchilov and Hutter 2019). Both follow PyTorch's update rules, keep their state as
 * named float tensors for checkpoints, and resume from it bit for bit.
 */
package dev.recur.train.optim;
