namespace Collector.Processors.Symbolization.Demangling;

/// <summary>An operator of the Itanium grammar: its name as a function, its symbol in expressions, its operand count.</summary>
internal readonly record struct ItaniumOperator(string FunctionName, string Symbol, int Arity);

/// <summary>The two-letter operator codes of the Itanium ABI (section 5.1.5, operator-name).</summary>
internal static class ItaniumOperators
{
    private static readonly Dictionary<int, ItaniumOperator> ByCode = Build();

    public static ItaniumOperator? Find(char a, char b) =>
        ByCode.TryGetValue(a << 8 | b, out var found) ? found : null;

    private static Dictionary<int, ItaniumOperator> Build()
    {
        var table = new Dictionary<int, ItaniumOperator>();
        void Add(string code, string symbol, int arity, string? functionName = null) =>
            table[code[0] << 8 | code[1]] = new ItaniumOperator(functionName ?? "operator" + symbol, symbol, arity);
        Add("nw", "new", 3, "operator new");
        Add("na", "new[]", 3, "operator new[]");
        Add("dl", "delete ", 1, "operator delete");
        Add("da", "delete[] ", 1, "operator delete[]");
        Add("ps", "+", 1);
        Add("ng", "-", 1);
        Add("ad", "&", 1);
        Add("de", "*", 1);
        Add("co", "~", 1);
        Add("pl", "+", 2);
        Add("mi", "-", 2);
        Add("ml", "*", 2);
        Add("dv", "/", 2);
        Add("rm", "%", 2);
        Add("an", "&", 2);
        Add("or", "|", 2);
        Add("eo", "^", 2);
        Add("aS", "=", 2);
        Add("pL", "+=", 2);
        Add("mI", "-=", 2);
        Add("mL", "*=", 2);
        Add("dV", "/=", 2);
        Add("rM", "%=", 2);
        Add("aN", "&=", 2);
        Add("oR", "|=", 2);
        Add("eO", "^=", 2);
        Add("ls", "<<", 2);
        Add("rs", ">>", 2);
        Add("lS", "<<=", 2);
        Add("rS", ">>=", 2);
        Add("eq", "==", 2);
        Add("ne", "!=", 2);
        Add("lt", "<", 2);
        Add("gt", ">", 2);
        Add("le", "<=", 2);
        Add("ge", ">=", 2);
        Add("ss", "<=>", 2);
        Add("nt", "!", 1);
        Add("aa", "&&", 2);
        Add("oo", "||", 2);
        Add("pp", "++", 1);
        Add("mm", "--", 1);
        Add("cm", ",", 2);
        Add("pm", "->*", 2);
        Add("pt", "->", 2);
        Add("cl", "()", 2);
        Add("ix", "[]", 2);
        Add("qu", "?", 3);
        Add("st", "sizeof ", 1, "operator sizeof");
        Add("sz", "sizeof ", 1, "operator sizeof");
        Add("at", "alignof ", 1, "operator alignof");
        Add("az", "alignof ", 1, "operator alignof");
        Add("aw", "co_await ", 1, "operator co_await");
        return table;
    }
}

/// <summary>The builtin types of the Itanium ABI (section 5.1.5, builtin-type).</summary>
internal static class ItaniumBuiltins
{
    public static string? Single(char code) => code switch
    {
        'v' => "void",
        'w' => "wchar_t",
        'b' => "bool",
        'c' => "char",
        'a' => "signed char",
        'h' => "unsigned char",
        's' => "short",
        't' => "unsigned short",
        'i' => "int",
        'j' => "unsigned int",
        'l' => "long",
        'm' => "unsigned long",
        'x' => "long long",
        'y' => "unsigned long long",
        'n' => "__int128",
        'o' => "unsigned __int128",
        'f' => "float",
        'd' => "double",
        'e' => "long double",
        'g' => "__float128",
        'z' => "...",
        _ => null,
    };

    /// <summary>Builtins spelled D + letter.</summary>
    public static string? Double(char code) => code switch
    {
        'd' => "decimal64",
        'e' => "decimal128",
        'f' => "decimal32",
        'h' => "half",
        'i' => "char32_t",
        's' => "char16_t",
        'u' => "char8_t",
        'a' => "auto",
        'c' => "decltype(auto)",
        'n' => "decltype(nullptr)",
        _ => null,
    };

    /// <summary>The suffix c++filt writes after an integer literal of this builtin type, or null when it writes a cast instead.</summary>
    public static string? LiteralSuffix(string typeName) => typeName switch
    {
        "int" => "",
        "unsigned int" => "u",
        "long" => "l",
        "unsigned long" => "ul",
        "long long" => "ll",
        "unsigned long long" => "ull",
        _ => null,
    };
}
