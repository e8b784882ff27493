/**
 * JMH benchmarks of Recur's kernels; build with {@code mvn -pl recur-jmh -am package -DskipTests} and run
 * {@code java -jar recur-jmh/target/benchmarks.jar}. Each benchmark forks with the Vector API module enabled.
 */
package dev.recur.jmh;
