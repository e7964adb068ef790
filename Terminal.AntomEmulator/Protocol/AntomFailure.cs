namespace Terminal.AntomEmulator;

/// <summary>A request that ends with a result-only answer (<c>{"result":{...}}</c>), e.g. PARAM_ILLEGAL.</summary>
internal sealed class AntomFailure : Exception
{
    public AntomFailure(string resultCode, string message, string resultStatus = "F")
        : base(message)
    {
        ResultCode = resultCode;
        ResultStatus = resultStatus;
    }

    public string ResultCode { get; }

    public string ResultStatus { get; }

    public static AntomFailure ParamIllegal(string message) => new(ResultCodes.ParamIllegal, message);
}
