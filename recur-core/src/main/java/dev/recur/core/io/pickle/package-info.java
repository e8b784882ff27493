/**
 * A restricted unpickler for the pickles inside {@code torch.save} files: {@link
 * dev.recur.core.io.pickle.RestrictedUnpickler} runs only the opcodes that a state dict's pickle uses, with
 * bounded stack, memo and string sizes, and leaves every global, call and persistent id to the caller's {@link
 * dev.recur.core.io.pickle.PickleHooks}, which allow a short list and refuse the rest.
 */
package dev.recur.core.io.pickle;
