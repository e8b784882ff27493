/** A strict, dependency-free JSON parser and string writer for file headers and manifests. */
package dev.recur.core.io.json;
