namespace Collector.Processors.Symbolization.Demangling;

/// <summary>
/// Recursive-descent parser for the Itanium C++ ABI mangling grammar (section 5.1 of the ABI document), building
/// <see cref="ItaniumNode"/> trees that <see cref="ItaniumPrinter"/> turns into c++filt's text. Every production
/// checks the recursion depth and the node budget, and returns null on anything it does not recognise, so that a
/// malformed or hostile name ends as "not demangled" rather than as an exception or a runaway.
/// </summary>
internal sealed partial class ItaniumParser
{
    private const int MaxDepth = 192;
    private const int MaxNodes = 1 << 15;

    // CV-qualifier bits on types and member functions, and the ref-qualifiers of member functions.
    public const int Restrict = 1;
    public const int Volatile = 2;
    public const int Const = 4;
    public const int LvalueRef = 8;
    public const int RvalueRef = 16;

    private readonly List<ItaniumNode> pool = [];
    private readonly List<ItaniumNode> substitutions = [];
    private int used;
    private string text = "";
    private int position;
    private int end;
    private int depth;
    private int conversionTypeDepth;
    private int conversionArgumentDepth;

    /// <summary>Parses a whole mangled name (starting with "_Z"), clone suffixes included; null when malformed.</summary>
    public ItaniumNode? ParseMangledName(string mangled, out int cloneSuffixStart)
    {
        Reset(mangled);
        cloneSuffixStart = -1;
        if (!Consume('_') || !Consume('Z')) return null;
        var encoding = ParseEncoding();
        if (encoding is null) return null;
        if (position < end)
        {
            // c++filt accepts clone suffixes after functions and special names, not after variables.
            if (Peek() != '.' || !ValidCloneSuffixes(position)) return null;
            if (encoding.Kind is not (ItaniumKind.Function or ItaniumKind.Special or ItaniumKind.ConstructionVtable)) return null;
            cloneSuffixStart = position;
        }
        return encoding;
    }

    /// <summary>Nodes kept per thread between demangles; a rare huge name may use more, which are then let go.</summary>
    private const int RetainedNodes = 4096;

    /// <summary>Lets go of what an unusually large name made the pools grow to.</summary>
    public void Shrink()
    {
        if (pool.Count > RetainedNodes) pool.RemoveRange(RetainedNodes, pool.Count - RetainedNodes);
        if (substitutions.Capacity > RetainedNodes)
        {
            substitutions.Clear();
            substitutions.Capacity = RetainedNodes;
        }
    }

    private void Reset(string mangled)
    {
        text = mangled;
        position = 0;
        end = mangled.Length;
        used = 0;
        depth = 0;
        conversionTypeDepth = 0;
        conversionArgumentDepth = 0;
        substitutions.Clear();
    }

    /// <summary>GCC/LLVM clone suffixes: "." [a-z0-9_]+ followed by any number of "." digits+ groups, repeated.</summary>
    private bool ValidCloneSuffixes(int at)
    {
        while (at < end)
        {
            if (text[at] != '.' || at + 1 >= end || !IsCloneChar(text[at + 1])) return false;
            at++;
            while (at < end && IsCloneChar(text[at])) at++;
            while (at + 1 < end && text[at] == '.' && IsDigit(text[at + 1]))
            {
                at++;
                while (at < end && IsDigit(text[at])) at++;
            }
        }
        return true;
    }

    private static bool IsCloneChar(char c) => IsLower(c) || IsDigit(c) || c == '_';

    // ---------------------------------------------------------------- encodings and names

    private ItaniumNode? ParseEncoding()
    {
        if (!Enter()) return null;
        // A function named inside a conversion type has template parameters of its own.
        var savedConversionTypeDepth = conversionTypeDepth;
        var savedConversionArgumentDepth = conversionArgumentDepth;
        conversionTypeDepth = 0;
        conversionArgumentDepth = 0;
        try
        {
            var c = Peek();
            if (c == 'G' || (c == 'T' && !IsTemplateParamStart()))
            {
                return ParseSpecialName();
            }
            var name = ParseName();
            if (name is null) return null;
            if (AtEnd || Peek() == 'E' || Peek() == '.') return name;
            ItaniumNode? returnType = null;
            if (HasReturnType(name))
            {
                returnType = ParseType();
                if (returnType is null) return null;
            }
            var parameters = ParseBareFunctionParameters();
            if (parameters is null) return null;
            var function = New(ItaniumKind.Function);
            function.Left = name;
            function.Middle = returnType;
            function.Right = parameters.Right;
            function.Number = TakeQualifiers(name);
            return function;
        }
        finally
        {
            depth--;
            conversionTypeDepth = savedConversionTypeDepth;
            conversionArgumentDepth = savedConversionArgumentDepth;
        }
    }

    private bool IsTemplateParamStart() => Peek(1) == '_' || IsDigit(Peek(1));

    private ItaniumNode? ParseSpecialName()
    {
        var c = Next();
        var d = Next();
        if (c == 'T')
        {
            switch (d)
            {
                case 'V': return Special("vtable for ", ParseType());
                case 'T': return Special("VTT for ", ParseType());
                case 'I': return Special("typeinfo for ", ParseType());
                case 'S': return Special("typeinfo name for ", ParseType());
                case 'H': return Special("TLS init function for ", ParseName());
                case 'W': return Special("TLS wrapper function for ", ParseName());
                case 'A': return Special("template parameter object for ", ParseTemplateArgument());
                case 'h':
                    return SkipCallOffset('h') ? Special("non-virtual thunk to ", ParseEncoding()) : null;
                case 'v':
                    return SkipCallOffset('v') ? Special("virtual thunk to ", ParseEncoding()) : null;
                case 'c':
                    return SkipCallOffset(Next()) && SkipCallOffset(Next())
                        ? Special("covariant return thunk to ", ParseEncoding())
                        : null;
                case 'C':
                    {
                        var derived = ParseType();
                        if (derived is null || ParseNumber(out _) is false || !Consume('_')) return null;
                        var baseType = ParseType();
                        if (baseType is null) return null;
                        var node = New(ItaniumKind.ConstructionVtable);
                        node.Left = derived;
                        node.Right = baseType;
                        return node;
                    }
                default: return null;
            }
        }
        if (c != 'G') return null;
        switch (d)
        {
            case 'V': return Special("guard variable for ", ParseName());
            case 'A': return Special("hidden alias for ", ParseEncoding());
            case 'T':
                var kind = Next();
                if (kind == 't') return Special("transaction clone for ", ParseEncoding());
                if (kind == 'n') return Special("non-transaction clone for ", ParseEncoding());
                return null;
            default: return null;
        }
    }

    private ItaniumNode? Special(string prefix, ItaniumNode? target)
    {
        if (target is null) return null;
        var node = New(ItaniumKind.Special);
        node.Text = prefix;
        node.Left = target;
        return node;
    }

    /// <summary>call-offset: h nv-offset _ | v offset _ virtual-offset _ (already past the letter).</summary>
    private bool SkipCallOffset(char kind)
    {
        if (kind == 'h') return ParseNumber(out _) && Consume('_');
        if (kind == 'v') return ParseNumber(out _) && Consume('_') && ParseNumber(out _) && Consume('_');
        return false;
    }

    /// <summary>A function has its return type encoded when its name is a template that is not a constructor, destructor or conversion.</summary>
    private static bool HasReturnType(ItaniumNode name)
    {
        while (true)
        {
            switch (name.Kind)
            {
                case ItaniumKind.Template:
                    var templated = LastComponent(name.Left!);
                    return templated.Kind is not (ItaniumKind.Structor or ItaniumKind.Conversion);
                case ItaniumKind.Local:
                    name = name.Right!;
                    break;
                case ItaniumKind.Qualified:
                    name = name.Left!;
                    break;
                default:
                    return false;
            }
        }
    }

    private static ItaniumNode LastComponent(ItaniumNode name)
    {
        while (true)
        {
            switch (name.Kind)
            {
                case ItaniumKind.Nested: name = name.Right!; break;
                case ItaniumKind.AbiTag: name = name.Left!; break;
                default: return name;
            }
        }
    }

    /// <summary>The template argument list T_ refers to inside a function whose name is <paramref name="name"/>.</summary>
    public static ItaniumNode? FindTemplateArgs(ItaniumNode name)
    {
        while (true)
        {
            switch (name.Kind)
            {
                case ItaniumKind.Template: return name.Right ?? EmptyArgs;
                case ItaniumKind.Local: name = name.Right!; break;
                case ItaniumKind.Qualified: name = name.Left!; break;
                case ItaniumKind.AbiTag: name = name.Left!; break;
                default: return null;
            }
        }
    }

    private static readonly ItaniumNode EmptyArgs = new() { Kind = ItaniumKind.Pack };

    /// <summary>Member-function qualifiers travel on the name as a Qualified wrapper; the function takes them over.</summary>
    private static int TakeQualifiers(ItaniumNode name)
    {
        while (name.Kind == ItaniumKind.Local) name = name.Right!;
        return name.Kind == ItaniumKind.Qualified ? name.Number : 0;
    }

    private ItaniumNode? ParseName()
    {
        if (!Enter()) return null;
        try
        {
            switch (Peek())
            {
                case 'N': return ParseNestedName();
                case 'Z': return ParseLocalName();
                case 'S':
                    if (Peek(1) != 't')
                    {
                        // An unscoped template name that is a substitution: S_ I args E.
                        var substituted = ParseSubstitution();
                        if (substituted is null || Peek() != 'I') return null;
                        return ApplyTemplateArgs(substituted);
                    }
                    break;
            }
            ItaniumNode? unqualified;
            if (Peek() == 'S' && Peek(1) == 't')
            {
                position += 2;
                var inner = ParseUnqualifiedName(null);
                if (inner is null) return null;
                unqualified = Nest(StdNamespace(), inner);
            }
            else
            {
                unqualified = ParseUnqualifiedName(null);
                if (unqualified is null) return null;
            }
            if (Peek() == 'I')
            {
                AddSubstitution(unqualified);
                return ApplyTemplateArgs(unqualified);
            }
            return unqualified;
        }
        finally { depth--; }
    }

    private ItaniumNode? ApplyTemplateArgs(ItaniumNode name)
    {
        var args = ParseTemplateArgs();
        if (args is null) return null;
        var node = New(ItaniumKind.Template);
        node.Left = name;
        node.Right = args.Right;
        return node;
    }

    private ItaniumNode StdNamespace()
    {
        var node = New(ItaniumKind.Text);
        node.Text = "std";
        return node;
    }

    private ItaniumNode Nest(ItaniumNode? prefix, ItaniumNode component)
    {
        if (prefix is null) return component;
        var node = New(ItaniumKind.Nested);
        node.Left = prefix;
        node.Right = component;
        return node;
    }

    private ItaniumNode? ParseNestedName()
    {
        if (!Consume('N')) return null;
        var qualifiers = ParseCvQualifiers();
        if (Peek() == 'R')
        {
            position++;
            qualifiers |= LvalueRef;
        }
        else if (Peek() == 'O')
        {
            position++;
            qualifiers |= RvalueRef;
        }
        ItaniumNode? current = null;
        while (!Consume('E'))
        {
            if (AtEnd || Failed) return null;
            var c = Peek();
            if (c == 'S' && Peek(1) == 't' && current is null)
            {
                position += 2;
                current = StdNamespace();
                continue;
            }
            if (c == 'S' && current is null)
            {
                current = ParseSubstitution();
                if (current is null) return null;
                continue;
            }
            if (c == 'I')
            {
                if (current is null) return null;
                current = ApplyTemplateArgs(current);
                if (current is null) return null;
            }
            else if (c == 'T' && current is null)
            {
                current = ParseTemplateParam();
                if (current is null) return null;
            }
            else if (c == 'D' && (Peek(1) == 't' || Peek(1) == 'T') && current is null)
            {
                current = ParseType();
                if (current is null) return null;
                continue;
            }
            else if (c == 'M')
            {
                // <data-member-prefix>: the closure's context is a data member; nothing is printed for the M.
                if (current is null) return null;
                position++;
                continue;
            }
            else
            {
                var component = ParseUnqualifiedName(current);
                if (component is null) return null;
                current = Nest(current, component);
            }
            if (Peek() != 'E') AddSubstitution(current);
        }
        if (current is null) return null;
        if (qualifiers == 0) return current;
        var qualified = New(ItaniumKind.Qualified);
        qualified.Left = current;
        qualified.Number = qualifiers;
        return qualified;
    }

    private ItaniumNode? ParseLocalName()
    {
        if (!Consume('Z')) return null;
        var encoding = ParseEncoding();
        if (encoding is null || !Consume('E')) return null;
        ItaniumNode? entity;
        if (Consume('s'))
        {
            entity = New(ItaniumKind.Text);
            entity.Text = "string literal";
            SkipDiscriminator();
        }
        else
        {
            ItaniumNode? defaultArgument = null;
            if (Consume('d'))
            {
                // Default argument scope: d [number] _ name, printed "{default arg#N}::name".
                var ordinal = 1;
                if (ParseLength(out var n)) ordinal = n + 2;
                if (!Consume('_')) return null;
                defaultArgument = New(ItaniumKind.Text);
                defaultArgument.Text = $"{{default arg#{ordinal}}}";
            }
            entity = ParseName();
            if (entity is null) return null;
            SkipDiscriminator();
            if (defaultArgument is not null) entity = Nest(defaultArgument, entity);
        }
        var node = New(ItaniumKind.Local);
        node.Left = encoding;
        node.Right = entity;
        return node;
    }

    /// <summary>discriminator: _ digit | __ number _ (c++filt does not print it).</summary>
    private void SkipDiscriminator()
    {
        if (Peek() != '_') return;
        if (IsDigit(Peek(1)))
        {
            position += 2;
            return;
        }
        if (Peek(1) == '_' && IsDigit(Peek(2)))
        {
            var at = position + 2;
            while (at < end && IsDigit(text[at])) at++;
            if (at < end && text[at] == '_') position = at + 1;
        }
    }

    private ItaniumNode? ParseUnqualifiedName(ItaniumNode? scope)
    {
        if (!Enter()) return null;
        try
        {
            ItaniumNode? name;
            var c = Peek();
            if (c == 'L') // internal linkage marker (GCC) before a source name
            {
                position++;
                c = Peek();
            }
            if (IsDigit(c))
            {
                name = ParseSourceName();
            }
            else if (IsLower(c))
            {
                name = ParseOperatorName();
            }
            else if (c == 'C' || c == 'D')
            {
                name = ParseStructorName(scope);
            }
            else if (c == 'U')
            {
                name = ParseUnnamedTypeName();
            }
            else
            {
                return null;
            }
            if (name is null) return null;
            while (Peek() == 'B')
            {
                position++;
                var tag = New(ItaniumKind.AbiTag);
                if (!ParseLength(out var length) || end - position < length) return null;
                tag.Start = position;
                tag.Length = length;
                tag.Left = name;
                position += length;
                name = tag;
            }
            return name;
        }
        finally { depth--; }
    }

    private ItaniumNode? ParseSourceName()
    {
        if (!ParseLength(out var length) || end - position < length) return null;
        var node = New(ItaniumKind.SourceName);
        node.Start = position;
        node.Length = length;
        position += length;
        // GCC's anonymous namespace: _GLOBAL_[._$]N is printed as "(anonymous namespace)".
        if (length >= 10 && string.CompareOrdinal(text, node.Start, "_GLOBAL_", 0, 8) == 0
            && text[node.Start + 8] is '.' or '_' or '$' && text[node.Start + 9] == 'N')
        {
            node.Kind = ItaniumKind.Text;
            node.Text = "(anonymous namespace)";
        }
        return node;
    }

    private ItaniumNode? ParseStructorName(ItaniumNode? scope)
    {
        if (scope is null) return null;
        var c = Next();
        var node = New(ItaniumKind.Structor);
        node.Left = scope;
        if (c == 'C')
        {
            var inheriting = Consume('I');
            var kind = Next();
            if (kind is not ('1' or '2' or '3' or '4' or '5')) return null;
            if (inheriting)
            {
                // An inheriting constructor is printed with the name of the base class it comes from.
                node.Left = ParseType();
                if (node.Left is null) return null;
            }
            node.Number = 0;
        }
        else
        {
            var kind = Next();
            if (kind is not ('0' or '1' or '2' or '4' or '5')) return null;
            node.Number = 1;
        }
        return node;
    }

    private ItaniumNode? ParseUnnamedTypeName()
    {
        if (!Consume('U')) return null;
        var c = Next();
        if (c == 't')
        {
            var node = New(ItaniumKind.UnnamedType);
            if (!ParseSequenceNumber(out var n)) return null;
            node.Number = n;
            return node;
        }
        if (c == 'l')
        {
            var parameters = ParseBareFunctionParameters();
            if (parameters is null || !Consume('E')) return null;
            if (!ParseSequenceNumber(out var n)) return null;
            var node = New(ItaniumKind.Lambda);
            node.Left = parameters.Right;
            node.Number = n;
            return node;
        }
        return null;
    }

    /// <summary>[number] _ → 1-based ordinal (absent number means 1).</summary>
    private bool ParseSequenceNumber(out int ordinal)
    {
        ordinal = 1;
        if (Consume('_')) return true;
        if (!ParseLength(out var n) || !Consume('_')) return false;
        ordinal = n + 2;
        return true;
    }

    private ItaniumNode? ParseOperatorName()
    {
        var a = Peek();
        var b = Peek(1);
        if (a == 'c' && b == 'v')
        {
            position += 2;
            // In "cv T_ I...E" the template arguments belong to the operator, not to T_ (see ParseType).
            conversionTypeDepth++;
            var type = ParseType();
            conversionTypeDepth--;
            if (type is null) return null;
            var conversion = New(ItaniumKind.Conversion);
            conversion.Left = type;
            return conversion;
        }
        if (a == 'l' && b == 'i')
        {
            position += 2;
            var suffix = ParseSourceName();
            if (suffix is null) return null;
            var literal = New(ItaniumKind.LiteralOperator);
            literal.Left = suffix;
            return literal;
        }
        if (a == 'v' && IsDigit(b))
        {
            position += 2;
            return Special("operator ", ParseSourceName());
        }
        var op = ItaniumOperators.Find(a, b);
        if (op is null) return null;
        position += 2;
        var text = New(ItaniumKind.Text);
        text.Text = op.Value.FunctionName;
        return text;
    }

    // ---------------------------------------------------------------- types

    private ItaniumNode? ParseType()
    {
        if (!Enter()) return null;
        try
        {
            var c = Peek();
            var builtin = ItaniumBuiltins.Single(c);
            if (builtin is not null)
            {
                position++;
                return TextNode(builtin);
            }
            ItaniumNode? result;
            switch (c)
            {
                case 'r':
                case 'V':
                case 'K':
                    {
                        var qualifiers = ParseCvQualifiers();
                        // A qualified function type (member function "() const") is one candidate, not two.
                        var inner = Peek() == 'F' || (Peek() == 'D' && Peek(1) is 'o' or 'O' or 'w' or 'x')
                            ? ParseFunctionType()
                            : ParseType();
                        if (inner is null) return null;
                        result = New(ItaniumKind.Qualified);
                        result.Left = inner;
                        result.Number = qualifiers;
                        break;
                    }
                case 'P': result = Wrap(ItaniumKind.Pointer, "*"); break;
                case 'R': result = Wrap(ItaniumKind.Pointer, "&"); break;
                case 'O': result = Wrap(ItaniumKind.Pointer, "&&"); break;
                case 'C': result = Wrap(ItaniumKind.Suffixed, " _Complex"); break;
                case 'G': result = Wrap(ItaniumKind.Suffixed, " _Imaginary"); break;
                case 'F': result = ParseFunctionType(); break;
                case 'A': result = ParseArrayType(); break;
                case 'M': result = ParseMemberPointerType(); break;
                case 'T':
                    result = ParseTemplateParam();
                    if (result is null) return null;
                    if (Peek() == 'I' && conversionTypeDepth == 0)
                    {
                        AddSubstitution(result);
                        result = ApplyTemplateArgs(result);
                    }
                    break;
                case 'S':
                    if (Peek(1) == 't')
                    {
                        result = ParseName();
                        break;
                    }
                    result = ParseSubstitution();
                    if (result is null) return null;
                    if (Peek() != 'I') return result; // a substitution is not itself a new candidate
                    result = ApplyTemplateArgs(result);
                    break;
                case 'D':
                    {
                        var d = Peek(1);
                        var twoLetter = ItaniumBuiltins.Double(d);
                        if (twoLetter is not null)
                        {
                            position += 2;
                            return TextNode(twoLetter);
                        }
                        result = ParseDType(d);
                        break;
                    }
                case 'u':
                    position++;
                    result = ParseSourceName();
                    break;
                case 'N':
                case 'Z':
                    result = ParseName();
                    break;
                default:
                    if (!IsDigit(c)) return null;
                    result = ParseName();
                    break;
            }
            if (result is null) return null;
            AddSubstitution(result);
            return result;
        }
        finally { depth--; }
    }

    private ItaniumNode TextNode(string value)
    {
        var node = New(ItaniumKind.Text);
        node.Text = value;
        return node;
    }

    private ItaniumNode? ParseDType(char d)
    {
        switch (d)
        {
            case 'F':
                {
                    position += 2;
                    if (!ParseLength(out var bits)) return null;
                    var extended = Consume('x');
                    if (!extended && !Consume('_')) return null;
                    return TextNode(extended ? $"_Float{bits}x" : $"_Float{bits}");
                }
            case 'p':
                {
                    position += 2;
                    var pattern = ParseType();
                    if (pattern is null) return null;
                    var node = New(ItaniumKind.PackExpansion);
                    node.Left = pattern;
                    return node;
                }
            case 't':
            case 'T':
                {
                    position += 2;
                    var expression = ParseExpression();
                    if (expression is null || !Consume('E')) return null;
                    var node = New(ItaniumKind.Decltype);
                    node.Left = expression;
                    return node;
                }
            case 'v':
                {
                    position += 2;
                    ItaniumNode dimension;
                    if (Consume('_'))
                    {
                        var expression = ParseExpression();
                        if (expression is null) return null;
                        dimension = expression;
                    }
                    else
                    {
                        var start = position;
                        if (!ParseLength(out _)) return null;
                        dimension = New(ItaniumKind.SourceName);
                        dimension.Start = start;
                        dimension.Length = position - start;
                    }
                    if (!Consume('_')) return null;
                    var element = ParseType();
                    if (element is null) return null;
                    var vector = New(ItaniumKind.Suffixed);
                    vector.Left = element;
                    vector.Right = dimension;
                    vector.Text = " __vector(";
                    return vector;
                }
            case 'o':
            case 'O':
            case 'w':
            case 'x':
                // Exception specifications and transaction_safe come before the function type they qualify.
                return ParseFunctionType();
            default:
                return null;
        }
    }

    private ItaniumNode? Wrap(ItaniumKind kind, string text)
    {
        position++;
        var inner = ParseType();
        if (inner is null) return null;
        var node = New(kind);
        node.Left = inner;
        node.Text = text;
        return node;
    }

    private ItaniumNode? ParseFunctionType()
    {
        string? exceptionSpec = null;
        ItaniumNode? throwTypes = null;
        while (Peek() == 'D')
        {
            switch (Peek(1))
            {
                case 'o': position += 2; exceptionSpec = " noexcept"; continue;
                case 'x': position += 2; continue;
                case 'O':
                    {
                        position += 2;
                        var expression = ParseExpression();
                        if (expression is null || !Consume('E')) return null;
                        throwTypes = expression;
                        exceptionSpec = " noexcept";
                        continue;
                    }
                case 'w':
                    {
                        position += 2;
                        var types = ParseList(ListItem.Type);
                        if (types is null) return null;
                        throwTypes = types;
                        exceptionSpec = " throw";
                        continue;
                    }
            }
            return null;
        }
        if (!Consume('F')) return null;
        Consume('Y');
        var returnType = ParseType();
        if (returnType is null) return null;
        var parameters = ParseBareFunctionParameters(allowEnd: true);
        if (parameters is null) return null;
        var qualifiers = 0;
        if (Consume('R')) qualifiers |= LvalueRef;
        else if (Consume('O')) qualifiers |= RvalueRef;
        if (!Consume('E')) return null;
        var node = New(ItaniumKind.FunctionType);
        node.Middle = returnType;
        node.Right = parameters.Right;
        node.Number = qualifiers;
        node.Text = exceptionSpec;
        node.Left = throwTypes;
        return node;
    }

    /// <summary>Function parameters up to the end of input, 'E' or '.'; a lone 'v' means none. Returns a holder whose Right is the list.</summary>
    private ItaniumNode? ParseBareFunctionParameters(bool allowEnd = false)
    {
        var holder = New(ItaniumKind.ListCell);
        if (Peek() == 'v' && (AtEnd1 || Peek(1) is 'E' or '.' || (allowEnd && Peek(1) is 'R' or 'O' && Peek(2) == 'E')))
        {
            position++;
            return holder;
        }
        ItaniumNode? tail = null;
        var count = 0;
        while (!AtEnd && Peek() is not ('E' or '.'))
        {
            if (allowEnd && Peek() is 'R' or 'O' && Peek(1) == 'E') break;
            var type = ParseType();
            if (type is null) return null;
            tail = Append(holder, tail, type);
            count++;
        }
        return count == 0 ? null : holder;
    }

    private ItaniumNode Append(ItaniumNode holder, ItaniumNode? tail, ItaniumNode item)
    {
        var cell = New(ItaniumKind.ListCell);
        cell.Left = item;
        if (tail is null) holder.Right = cell;
        else tail.Right = cell;
        return cell;
    }

    /// <summary>What a list parsed by <see cref="ParseList"/> holds (an enum rather than a delegate: nothing allocated).</summary>
    private enum ListItem
    {
        Type,
        Expression,
        TemplateArgument,
    }

    /// <summary>Items up to <paramref name="terminator"/> (consumed); returns a holder whose Right is the first cell.</summary>
    private ItaniumNode? ParseList(ListItem kind, char terminator = 'E')
    {
        var holder = New(ItaniumKind.ListCell);
        ItaniumNode? tail = null;
        while (!Consume(terminator))
        {
            if (AtEnd || Failed) return null;
            var item = kind switch
            {
                ListItem.Type => ParseType(),
                ListItem.Expression => ParseExpression(),
                _ => ParseTemplateArgument(),
            };
            if (item is null) return null;
            tail = Append(holder, tail, item);
        }
        return holder;
    }

    private ItaniumNode? ParseArrayType()
    {
        position++;
        ItaniumNode? dimension = null;
        if (IsDigit(Peek()))
        {
            var start = position;
            ParseLength(out _);
            dimension = New(ItaniumKind.SourceName);
            dimension.Start = start;
            dimension.Length = position - start;
        }
        else if (Peek() != '_')
        {
            dimension = ParseExpression();
            if (dimension is null) return null;
        }
        if (!Consume('_')) return null;
        var element = ParseType();
        if (element is null) return null;
        var node = New(ItaniumKind.Array);
        node.Left = element;
        node.Right = dimension;
        return node;
    }

    private ItaniumNode? ParseMemberPointerType()
    {
        position++;
        var classType = ParseType();
        if (classType is null) return null;
        var memberType = ParseType();
        if (memberType is null) return null;
        var node = New(ItaniumKind.MemberPointer);
        node.Left = classType;
        node.Right = memberType;
        return node;
    }

    private int ParseCvQualifiers()
    {
        var qualifiers = 0;
        if (Consume('r')) qualifiers |= Restrict;
        if (Consume('V')) qualifiers |= Volatile;
        if (Consume('K')) qualifiers |= Const;
        return qualifiers;
    }

    private ItaniumNode? ParseTemplateParam()
    {
        if (conversionArgumentDepth > 0 || !Consume('T')) return null;
        var index = 0;
        if (!Consume('_'))
        {
            if (!ParseLength(out var n) || !Consume('_')) return null;
            index = n + 1;
        }
        var node = New(ItaniumKind.TemplateParam);
        node.Number = index;
        return node;
    }

    /// <summary>The index'th argument of a template argument list (holder.Right is the first cell).</summary>
    public static ItaniumNode? ArgumentAt(ItaniumNode args, int index)
    {
        var cell = args.Kind == ItaniumKind.Pack ? args.Left : args;
        for (var i = 0; cell is not null && i < index; i++) cell = cell.Right;
        return cell?.Left;
    }

    private ItaniumNode? ParseTemplateArgs()
    {
        if (conversionTypeDepth == 0) return ParseTemplateArgList();
        // c++filt refuses template parameters inside the template arguments of a conversion type.
        conversionArgumentDepth++;
        var args = ParseTemplateArgList();
        conversionArgumentDepth--;
        return args;
    }

    private ItaniumNode? ParseTemplateArgList() => Consume('I') ? ParseList(ListItem.TemplateArgument) : null;

    private ItaniumNode? ParseTemplateArgument()
    {
        if (!Enter()) return null;
        try
        {
            switch (Peek())
            {
                case 'X':
                    {
                        position++;
                        var expression = ParseExpression();
                        return expression is not null && Consume('E') ? expression : null;
                    }
                case 'L':
                    return ParseExpressionPrimary();
                case 'J':
                    {
                        position++;
                        var list = ParseList(ListItem.TemplateArgument);
                        if (list is null) return null;
                        var pack = New(ItaniumKind.Pack);
                        pack.Left = list.Right;
                        return pack;
                    }
                default:
                    return ParseType();
            }
        }
        finally { depth--; }
    }

    // ---------------------------------------------------------------- substitutions

    private ItaniumNode? ParseSubstitution()
    {
        if (!Consume('S')) return null;
        var c = Next();
        switch (c)
        {
            case '_': return SubstitutionAt(0);
            case 'a': return Abbreviation("std::allocator", "allocator");
            case 'b': return Abbreviation("std::basic_string", "basic_string");
            case 's':
                return Abbreviation("std::basic_string<char, std::char_traits<char>, std::allocator<char> >", "basic_string");
            case 'i': return Abbreviation("std::basic_istream<char, std::char_traits<char> >", "basic_istream");
            case 'o': return Abbreviation("std::basic_ostream<char, std::char_traits<char> >", "basic_ostream");
            case 'd': return Abbreviation("std::basic_iostream<char, std::char_traits<char> >", "basic_iostream");
        }
        var index = 0L;
        while (true)
        {
            if (IsDigit(c)) index = index * 36 + (c - '0');
            else if (c >= 'A' && c <= 'Z') index = index * 36 + (c - 'A' + 10);
            else if (c == '_') break;
            else return null;
            if (index > int.MaxValue) return null;
            c = Next();
        }
        return SubstitutionAt((int)index + 1);
    }

    private ItaniumNode? SubstitutionAt(int index) => index < substitutions.Count ? substitutions[index] : null;

    private ItaniumNode Abbreviation(string full, string constructorName)
    {
        var node = New(ItaniumKind.StdAbbreviation);
        node.Text = full;
        node.Text2 = constructorName;
        return node;
    }

    private void AddSubstitution(ItaniumNode node)
    {
        if (substitutions.Count < MaxNodes) substitutions.Add(node);
    }

    // ---------------------------------------------------------------- low level

    private bool Failed => used >= MaxNodes;

    private bool AtEnd => position >= end;

    private bool AtEnd1 => position + 1 >= end;

    private char Peek() => position < end ? text[position] : '\0';

    private char Peek(int ahead) => position + ahead < end ? text[position + ahead] : '\0';

    private char Next() => position < end ? text[position++] : '\0';

    private bool Consume(char c)
    {
        if (position < end && text[position] == c)
        {
            position++;
            return true;
        }
        return false;
    }

    private bool Enter()
    {
        if (++depth > MaxDepth || used >= MaxNodes)
        {
            depth--;
            return false;
        }
        return true;
    }

    /// <summary>A non-negative decimal length (no sign); false when absent or absurdly large.</summary>
    private bool ParseLength(out int value)
    {
        value = 0;
        if (!IsDigit(Peek())) return false;
        while (IsDigit(Peek()))
        {
            value = value * 10 + (text[position++] - '0');
            if (value > 1_000_000) return false;
        }
        return true;
    }

    /// <summary>number: [n] digits (the sign is accepted and ignored; callers only skip offsets).</summary>
    private bool ParseNumber(out int value)
    {
        Consume('n');
        return ParseLength(out value);
    }

    private ItaniumNode New(ItaniumKind kind)
    {
        ItaniumNode node;
        if (used < pool.Count)
        {
            node = pool[used];
            node.Clear();
        }
        else
        {
            node = new ItaniumNode();
            pool.Add(node);
        }
        used++;
        node.Kind = kind;
        return node;
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsLower(char c) => c is >= 'a' and <= 'z';
}
