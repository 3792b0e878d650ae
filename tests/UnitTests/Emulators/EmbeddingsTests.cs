using System.Net;
using System.Text.Json;
using Emulators.OpenAI;

namespace UnitTests.Emulators;

public class EmbeddingFactoryTests
{
    private static EmbeddingRequest Request(string inputJson, int? dimensions = null, string model = "text-embedding-3-small") => new()
    {
        Model = model,
        Input = JsonDocument.Parse(inputJson).RootElement,
        Dimensions = dimensions,
    };

    private static double Norm(float[] vector) => Math.Sqrt(vector.Sum(component => (double)component * component));

    [Theory]
    [InlineData("text-embedding-3-small", 1536)]
    [InlineData("openai/text-embedding-3-large", 3072)]
    [InlineData("text-embedding-ada-002", 1536)]
    public void Vectors_have_the_model_default_size_and_unit_length(string model, int size)
    {
        var request = Request("\"hello\"", model: model);

        var vector = EmbeddingFactory.CreateResponse(request, EmbeddingFactory.ReadInputs(request.Input)!).Data[0].Embedding.Values;

        Assert.Equal(size, vector.Length);
        Assert.Equal(1.0, Norm(vector), precision: 5);
    }

    [Fact]
    public void The_same_text_always_gets_the_same_vector_and_other_texts_other_vectors()
    {
        var hello = new EmbeddingInput("hello", null);

        var first = EmbeddingFactory.Vector("text-embedding-3-small", hello, 1536);
        var again = EmbeddingFactory.Vector("text-embedding-3-small", hello, 1536);
        var other = EmbeddingFactory.Vector("text-embedding-3-small", new EmbeddingInput("hello!", null), 1536);
        var otherModel = EmbeddingFactory.Vector("text-embedding-3-large", hello, 1536);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.NotEqual(first, otherModel);
    }

    [Fact]
    public void Shortened_vectors_are_the_normalised_start_of_the_full_vector()
    {
        var input = new EmbeddingInput("shorten me", null);

        var full = EmbeddingFactory.Vector("text-embedding-3-small", input, 1536);
        var shortened = EmbeddingFactory.Vector("text-embedding-3-small", input, 8);

        Assert.Equal(8, shortened.Length);
        Assert.Equal(1.0, Norm(shortened), precision: 5);
        var scale = Norm(full[..8]);
        Assert.All(Enumerable.Range(0, 8), index => Assert.Equal(full[index] / scale, shortened[index], precision: 5));
    }

    [Theory]
    [InlineData("\"one two\"", 1, 2)]
    [InlineData("""["one two", "three"]""", 2, 3)]
    [InlineData("[1, 2, 3, 4]", 1, 4)]
    [InlineData("[[1, 2], [3]]", 2, 3)]
    public void Each_input_shape_gets_one_vector_per_input_and_counts_tokens(string inputJson, int vectors, int tokens)
    {
        var request = Request(inputJson, dimensions: 4);

        var response = EmbeddingFactory.CreateResponse(request, EmbeddingFactory.ReadInputs(request.Input)!);

        Assert.Equal(vectors, response.Data.Count);
        Assert.Equal(Enumerable.Range(0, vectors), response.Data.Select(item => item.Index));
        Assert.Equal(tokens, response.Usage.PromptTokens);
        Assert.Equal(tokens, response.Usage.TotalTokens);
    }

    public static TheoryData<string, string> InvalidRequests => new()
    {
        { """{"input":"x"}""", "model" },
        { """{"model":"text-embedding-3-small"}""", "input" },
        { """{"model":"text-embedding-3-small","input":""}""", "input" },
        { """{"model":"text-embedding-3-small","input":[]}""", "input" },
        { """{"model":"text-embedding-3-small","input":[1,"a"]}""", "input" },
        { """{"model":"text-embedding-3-small","input":"x","dimensions":0}""", "dimensions" },
        { """{"model":"text-embedding-3-small","input":"x","dimensions":1537}""", "dimensions" },
        { """{"model":"text-embedding-ada-002","input":"x","dimensions":8}""", "dimensions" },
        { """{"model":"text-embedding-3-small","input":"x","encoding_format":"hex"}""", "encoding_format" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public void Invalid_requests_name_the_parameter(string json, string param)
    {
        var request = JsonSerializer.Deserialize(json, OpenAIJsonContext.Default.EmbeddingRequest)!;

        Assert.Equal(param, EmbeddingRequestValidator.Validate(request, out _)?.Error.Param);
    }
}

public class EmbeddingsApiTests(EmulatorServer server) : IClassFixture<EmulatorServer>
{
    private const string Path = "/v1/embeddings";

    [Fact]
    public async Task Embeddings_have_OpenAI_field_names_and_shape()
    {
        using var response = await server.Client.SendAsync(
            EmulatorHttp.Post(Path, """{"model":"text-embedding-3-small","input":["hello world","bye"]}"""), EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await EmulatorHttp.ReadJsonAsync(response);
        Assert.Equal(["object", "data", "model", "usage"], json.EnumerateObject().Select(property => property.Name));
        Assert.Equal("list", json.GetProperty("object").GetString());
        var first = json.GetProperty("data")[0];
        Assert.Equal(["object", "index", "embedding"], first.EnumerateObject().Select(property => property.Name));
        Assert.Equal("embedding", first.GetProperty("object").GetString());
        Assert.Equal(1536, first.GetProperty("embedding").GetArrayLength());
        Assert.Equal(1, json.GetProperty("data")[1].GetProperty("index").GetInt32());
        Assert.Equal(3, json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, json.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Base64_encoding_carries_the_same_little_endian_float32_vector()
    {
        async Task<JsonElement> EmbedAsync(string format)
        {
            using var response = await server.Client.SendAsync(EmulatorHttp.Post(Path,
                $$"""{"model":"text-embedding-3-small","input":"same text","dimensions":16,"encoding_format":"{{format}}"}"""), EmulatorHttp.CancellationToken);
            return (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("data")[0].GetProperty("embedding");
        }

        var floats = (await EmbedAsync("float")).EnumerateArray().Select(component => component.GetSingle()).ToArray();
        var bytes = Convert.FromBase64String((await EmbedAsync("base64")).GetString()!);

        Assert.Equal(16 * sizeof(float), bytes.Length);
        Assert.Equal(floats, Enumerable.Range(0, 16).Select(index => BitConverter.ToSingle(bytes, index * sizeof(float))));
    }

    [Fact]
    public async Task Invalid_input_gets_400_with_an_OpenAI_error()
    {
        using var response = await server.Client.SendAsync(
            EmulatorHttp.Post(Path, """{"model":"text-embedding-3-small","input":""}"""), EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("input", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task The_fail_header_applies_to_embeddings_too()
    {
        using var response = await server.Client.SendAsync(
            EmulatorHttp.Post(Path, """{"model":"text-embedding-3-small","input":"x"}""", ("X-Emulator-Fail", "429")), EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("rate_limit_exceeded", (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }
}
