/** ONNX's backend test folders ({@code model.onnx} + {@code test_data_set_N/*.pb}) run through the import. */
package dev.recur.onnx.backend;
