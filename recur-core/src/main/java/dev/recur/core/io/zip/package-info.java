/**
 * A bounded reader for the directory of a zip archive of stored entries (the container of {@code torch.save}
 * files): {@link dev.recur.core.io.zip.StoredZip} gives each entry's byte range and inflates nothing.
 */
package dev.recur.core.io.zip;
