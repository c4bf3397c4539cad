namespace Collector.Processors.Symbolization.Demangling;

/// <summary>What an <see cref="ItaniumNode"/> stands for; the comment says which fields it uses.</summary>
internal enum ItaniumKind : byte
{
    /// <summary>Source name: Start/Length into the mangled text.</summary>
    SourceName,
    /// <summary>Fixed text (builtin type, operator name, std:: abbreviation): Text.</summary>
    Text,
    /// <summary>std::string-style abbreviation: Text is the full name, Text2 the constructor name.</summary>
    StdAbbreviation,
    /// <summary>A::B: Left = prefix, Right = last component.</summary>
    Nested,
    /// <summary>name&lt;args&gt;: Left = name, Right = argument list.</summary>
    Template,
    /// <summary>One cell of a list: Left = item, Right = next cell.</summary>
    ListCell,
    /// <summary>Argument pack J...E: Left = element list.</summary>
    Pack,
    /// <summary>Pack expansion Dp: Left = pattern.</summary>
    PackExpansion,
    /// <summary>Template parameter T_: Left = the argument it stands for, or null until the scope is known (Number = index).</summary>
    TemplateParam,
    /// <summary>name[abi:tag]: Left = name, Start/Length = tag.</summary>
    AbiTag,
    /// <summary>Constructor (Number 0) or destructor (Number 1): Left = the class name it belongs to.</summary>
    Structor,
    /// <summary>operator T: Left = type.</summary>
    Conversion,
    /// <summary>operator"" name: Left = source name.</summary>
    LiteralOperator,
    /// <summary>{lambda(params)#n}: Left = parameter list, Number = n.</summary>
    Lambda,
    /// <summary>{unnamed type#n}: Number = n.</summary>
    UnnamedType,
    /// <summary>encoding::entity: Left = encoding, Right = entity.</summary>
    Local,
    /// <summary>Function: Left = name, Middle = return type or null, Right = parameter list, Number = qualifiers.</summary>
    Function,
    /// <summary>Text + Left ("vtable for X").</summary>
    Special,
    /// <summary>construction vtable for Right-in-Left.</summary>
    ConstructionVtable,
    /// <summary>Qualified type: Left = type, Number = qualifiers.</summary>
    Qualified,
    /// <summary>Pointer or reference: Left = pointee, Text = "*", "&amp;" or "&amp;&amp;".</summary>
    Pointer,
    /// <summary>Type with a suffix: Left = type, Text = " _Complex", " _Imaginary" or " __vector(", Right = vector dimension.</summary>
    Suffixed,
    /// <summary>Function type: Middle = return type, Right = parameter list, Number = qualifiers.</summary>
    FunctionType,
    /// <summary>Array: Left = element type, Right = dimension (may be null).</summary>
    Array,
    /// <summary>Pointer to member: Left = class type, Right = member type.</summary>
    MemberPointer,
    /// <summary>Literal: Left = type, Start/Length = digits, Number = 1 when negative.</summary>
    Literal,
    /// <summary>Prefix operator: Text + Left (parenthesised per the printer's rules).</summary>
    Prefix,
    /// <summary>Binary operator: Left Text Right.</summary>
    Binary,
    /// <summary>Conditional a ? b : c: Left, Middle, Right.</summary>
    Conditional,
    /// <summary>Call: Left = callee, Right = argument list.</summary>
    Call,
    /// <summary>Cast: Text = kind ("static_cast" etc.), Left = type, Right = operand.</summary>
    Cast,
    /// <summary>decltype (expr): Left = expression.</summary>
    Decltype,
    /// <summary>Text(Left): sizeof (type), alignof, noexcept, sizeof...</summary>
    TextParen,
    /// <summary>Member access: Left Text Right (. or ->).</summary>
    Member,
    /// <summary>Function parameter {parm#n}: Number = n.</summary>
    FunctionParam,
    /// <summary>Parenthesised expression list (type)(args): Left = type, Right = list.</summary>
    Construct,
    /// <summary>new-expression: Text = "new " or "new[] ", Left = placement list, Middle = type, Right = initializer list (Number 1 when present).</summary>
    New,
}

/// <summary>
/// One node of a parsed Itanium name. Nodes come from a per-thread pool that every demangle reuses, so parsing
/// allocates nothing once the pool has grown to the size of the longest name seen.
/// </summary>
internal sealed class ItaniumNode
{
    public ItaniumKind Kind;
    public ItaniumNode? Left;
    public ItaniumNode? Middle;
    public ItaniumNode? Right;
    public int Start;
    public int Length;
    public int Number;
    public string? Text;
    public string? Text2;

    public void Clear()
    {
        Left = Middle = Right = null;
        Start = Length = Number = 0;
        Text = Text2 = null;
    }
}
