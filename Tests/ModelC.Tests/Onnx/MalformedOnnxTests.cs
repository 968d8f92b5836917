using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using ModelC.Onnx;
using Xunit;
using P = Onnx;

namespace ModelC.Tests.Onnx
{
    /// <summary>Broken or unsupported ONNX files give a clear error, never a crash or a large allocation.</summary>
    public class MalformedOnnxTests
    {
        private static byte[] Valid => File.ReadAllBytes(OnnxImportTests.Fixture("mlp.onnx"));

        private static string ReadError(byte[] bytes)
        {
            var error = Assert.Throws<InvalidDataException>(() => OnnxImport.Parse(bytes, "broken.onnx"));
            Assert.StartsWith("broken.onnx: invalid ONNX file: ", error.Message);
            return error.Message;
        }

        [Fact]
        public void Empty_file() => Assert.Contains("empty", ReadError(Array.Empty<byte>()));

        [Fact]
        public void Random_bytes_and_every_truncation_fail_cleanly()
        {
            var random = new Random(1);
            var noise = new byte[4096];
            random.NextBytes(noise);
            var bytes = Valid;
            foreach (var candidate in new[] { noise }.Concat(Enumerable.Range(1, 40).Select(i => bytes[..(bytes.Length * i / 41)])))
            {
                var exception = Record.Exception(() => OnnxImport.Parse(candidate, "broken.onnx"));
                Assert.True(exception is InvalidDataException or NotSupportedException, exception?.ToString() ?? "parsed a broken file");
            }
        }

        [Fact]
        public void Huge_declared_length_is_refused_without_allocating_it()
        {
            // Field 7 (the graph), length-delimited, claiming 2^31 - 1 bytes in a 10-byte file.
            var bytes = new byte[] { 0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0, 0, 0, 0 };
            long before = GC.GetAllocatedBytesForCurrentThread();
            ReadError(bytes);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
        }

        private static byte[] Mutated(Action<P.ModelProto> change)
        {
            var model = P.ModelProto.Parser.ParseFrom(Valid);
            change(model);
            return model.ToByteArray();
        }

        [Fact]
        public void Tensor_data_that_does_not_fit_its_dims() =>
            Assert.Contains("'fc1.weight' [16, 6] needs 384 bytes", ReadError(Mutated(m => m.Graph.Initializer[0].RawData = ByteString.CopyFrom(new byte[8]))));

        [Fact]
        public void Dims_whose_product_overflows_are_refused_before_any_allocation()
        {
            var bytes = Mutated(m => { m.Graph.Initializer[0].Dims.Clear(); m.Graph.Initializer[0].Dims.Add(new long[] { 1L << 40, 1L << 40 }); });
            Assert.Contains("more than", ReadError(bytes));
        }

        [Fact]
        public void Negative_dims() =>
            Assert.Contains("negative dimension", ReadError(Mutated(m => m.Graph.Initializer[0].Dims[0] = -16)));

        [Fact]
        public void Missing_graph() => Assert.Contains("no graph", ReadError(Mutated(m => m.Graph = null)));

        [Fact]
        public void Node_reading_an_undefined_value() =>
            Assert.Contains("which no initializer, input or earlier node defines", ReadError(Mutated(m => m.Graph.Node[1].Input[0] = "nowhere")));

        [Fact]
        public void Unsupported_op_names_the_node_its_type_and_the_supported_list()
        {
            var bytes = Mutated(m => m.Graph.Node[1].OpType = "HardSwish");
            var error = Assert.Throws<NotSupportedException>(() => OnnxImport.Parse(bytes, "mlp.onnx"));
            Assert.Contains("node '/Relu' (HardSwish)", error.Message);
            Assert.Contains("Gemm", error.Message);
            Assert.Contains("LSTM", error.Message);
        }

        [Fact]
        public void Dynamic_dimension_other_than_the_batch_is_a_clear_error()
        {
            var bytes = Mutated(m => m.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimParam = "features");
            var error = Assert.Throws<NotSupportedException>(() => OnnxImport.Parse(bytes, "mlp.onnx"));
            Assert.Contains("dynamic dimension 'features' on axis 1", error.Message);
        }
    }
}
