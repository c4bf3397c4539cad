namespace Collector.Processors.Symbolization.Demangling;

/// <summary>
/// Writes a parsed Itanium name the way GNU c++filt (binutils 2.40, whose default is verbose: std::string is spelled
/// out as std::basic_string&lt;char, ...&gt;) writes it. Types are printed as a left part and a right part so that
/// declarators nest like C's: "void (*)(int)", "int (&) [5]", "void (A::*)() const".
/// </summary>
internal sealed class ItaniumPrinter
{
    private const int MaxSteps = 1 << 20;
    private const int MaxDepth = 256;

    private readonly DemangleBuffer output;
    private string input = "";
    // Template argument lists T_ refers to, innermost last: c++filt resolves template parameters while printing,
    // against the function being printed, so a substitution that carries a T_ into another function follows it.
    private readonly ItaniumNode?[] scopes = new ItaniumNode?[MaxDepth + 1];
    private int scopeTop;
    private int trimmedAt = -1;
    private int lambdaDepth;
    private ItaniumNode? activePack;
    private int activeIndex;
    private int steps;
    private int depth;

    public ItaniumPrinter(DemangleBuffer output) => this.output = output;

    /// <summary>False when printing ran over its budget (hostile input) or met a reference it cannot resolve.</summary>
    public bool Ok { get; private set; }

    public void Print(ItaniumNode root, string mangled, int cloneSuffixStart)
    {
        input = mangled;
        scopeTop = 0;
        scopes[0] = null;
        trimmedAt = -1;
        lambdaDepth = 0;
        activePack = null;
        steps = 0;
        depth = 0;
        Ok = true;
        Node(root);
        if (cloneSuffixStart >= 0) CloneSuffixes(mangled, cloneSuffixStart);
        if (output.Overflowed) Ok = false;
    }

    private void CloneSuffixes(string mangled, int at)
    {
        while (at < mangled.Length)
        {
            var start = at++;
            while (at < mangled.Length && mangled[at] != '.') at++;
            while (at + 1 < mangled.Length && mangled[at] == '.' && char.IsAsciiDigit(mangled[at + 1]))
            {
                at++;
                while (at < mangled.Length && mangled[at] != '.') at++;
            }
            output.Append(" [clone ");
            output.Append(mangled.AsSpan(start, at - start));
            output.Append(']');
        }
    }

    private bool Enter()
    {
        if (!Ok) return false;
        if (++steps > MaxSteps || ++depth > MaxDepth || output.Overflowed)
        {
            depth--;
            Ok = false;
            return false;
        }
        return true;
    }

    private void Node(ItaniumNode? node)
    {
        if (node is null || !Enter()) return;
        try
        {
            switch (node.Kind)
            {
                case ItaniumKind.SourceName:
                    output.Append(input.AsSpan(node.Start, node.Length));
                    break;
                case ItaniumKind.Text:
                case ItaniumKind.StdAbbreviation:
                    output.Append(node.Text!);
                    break;
                case ItaniumKind.Nested:
                    Node(node.Left);
                    output.Append("::");
                    Node(node.Right);
                    break;
                case ItaniumKind.Local:
                    // The function a local entity lives in is printed without its return type.
                    if (node.Left!.Kind == ItaniumKind.Function) Function(node.Left, withReturnType: false);
                    else Node(node.Left);
                    output.Append("::");
                    // A local member function's qualifiers belong to the function around it ("...::operator()() const").
                    Node(node.Right!.Kind == ItaniumKind.Qualified ? node.Right.Left : node.Right);
                    break;
                case ItaniumKind.Template:
                    Node(node.Left);
                    if (output.Last == '<') output.Append(' ');
                    output.Append('<');
                    List(node.Right);
                    // c++filt separates ">>", except right after dropping the separator of trailing empty packs.
                    if (output.Last == '>' && trimmedAt != output.Length) output.Append(' ');
                    output.Append('>');
                    break;
                case ItaniumKind.ListCell:
                    List(node);
                    break;
                case ItaniumKind.Pack:
                    List(node.Left);
                    break;
                case ItaniumKind.PackExpansion:
                    Expansion(node.Left!);
                    break;
                case ItaniumKind.TemplateParam:
                    {
                        if (lambdaDepth > 0)
                        {
                            // A generic lambda's parameters are its invented "auto:N" template parameters.
                            output.Append("auto:");
                            output.Append(node.Number + 1);
                            break;
                        }
                        var saved = scopeTop;
                        var argument = Resolve(node, ref scopeTop);
                        if (argument is null) Ok = false;
                        else Node(argument);
                        scopeTop = saved;
                        break;
                    }
                case ItaniumKind.AbiTag:
                    Node(node.Left);
                    output.Append("[abi:");
                    output.Append(input.AsSpan(node.Start, node.Length));
                    output.Append(']');
                    break;
                case ItaniumKind.Structor:
                    if (node.Number == 1) output.Append('~');
                    StructorName(node.Left);
                    break;
                case ItaniumKind.Conversion:
                    output.Append("operator ");
                    Type(node.Left!);
                    break;
                case ItaniumKind.LiteralOperator:
                    output.Append("operator\"\" ");
                    Node(node.Left);
                    break;
                case ItaniumKind.Lambda:
                    output.Append("{lambda(");
                    lambdaDepth++;
                    List(node.Left);
                    lambdaDepth--;
                    output.Append(")#");
                    output.Append(node.Number);
                    output.Append('}');
                    break;
                case ItaniumKind.UnnamedType:
                    output.Append("{unnamed type#");
                    output.Append(node.Number);
                    output.Append('}');
                    break;
                case ItaniumKind.Function:
                    Function(node, withReturnType: true);
                    break;
                case ItaniumKind.Special:
                    output.Append(node.Text!);
                    Node(node.Left);
                    break;
                case ItaniumKind.ConstructionVtable:
                    output.Append("construction vtable for ");
                    Node(node.Right);
                    output.Append("-in-");
                    Node(node.Left);
                    break;
                case ItaniumKind.Qualified:
                case ItaniumKind.Pointer:
                case ItaniumKind.Suffixed:
                case ItaniumKind.FunctionType:
                case ItaniumKind.Array:
                case ItaniumKind.MemberPointer:
                    Type(node);
                    break;
                case ItaniumKind.Literal:
                    Literal(node);
                    break;
                default:
                    Expression(node);
                    break;
            }
        }
        finally { depth--; }
    }

    /// <summary>
    /// Items separated by ", ". A separator stays when anything after it prints, so an empty pack in the middle
    /// leaves "f(int, , char)" and empty packs at the end leave nothing, which is how c++filt prints them.
    /// </summary>
    private void List(ItaniumNode? cell)
    {
        if (cell is null) return;
        Node(cell.Left);
        var keptEnd = output.Length;
        for (cell = cell.Right; cell is not null && Ok; cell = cell.Right)
        {
            output.Append(", ");
            var before = output.Length;
            Node(cell.Left);
            if (output.Length != before) keptEnd = output.Length;
        }
        if (output.Length != keptEnd)
        {
            output.Truncate(keptEnd);
            trimmedAt = keptEnd;
        }
    }

    /// <summary>A pack expansion prints its pattern once per element of the pack the pattern mentions.</summary>
    private void Expansion(ItaniumNode pattern)
    {
        var pack = FindPack(pattern, 0);
        if (pack is null)
        {
            Node(pattern);
            return;
        }
        var (savedPack, savedIndex) = (activePack, activeIndex);
        activePack = pack;
        activeIndex = 0;
        var first = true;
        for (var cell = pack.Left; cell is not null && Ok; cell = cell.Right, activeIndex++)
        {
            if (!first) output.Append(", ");
            first = false;
            Node(pattern);
        }
        (activePack, activeIndex) = (savedPack, savedIndex);
    }

    private ItaniumNode? FindPack(ItaniumNode? node, int level)
    {
        if (node is null || level > 32) return null;
        if (node.Kind == ItaniumKind.TemplateParam)
        {
            var args = scopes[scopeTop];
            var argument = args is null ? null : ItaniumParser.ArgumentAt(args, node.Number);
            return argument?.Kind == ItaniumKind.Pack && argument != activePack ? argument : null;
        }
        if (node.Kind == ItaniumKind.PackExpansion) return null;
        return FindPack(node.Left, level + 1) ?? FindPack(node.Middle, level + 1) ?? FindPack(node.Right, level + 1);
    }

    /// <summary>Follows template parameters to the argument they stand for (the current element inside an expansion).</summary>
    private ItaniumNode? Resolve(ItaniumNode node, ref int level)
    {
        for (var hops = 0; node.Kind == ItaniumKind.TemplateParam; hops++)
        {
            if (hops > 32 || level < 0) return null;
            var args = scopes[level];
            var argument = args is null ? null : ItaniumParser.ArgumentAt(args, node.Number);
            if (argument is null) return null;
            // The argument was written in the scope around the template it belongs to.
            if (level > 0) level--;
            if (argument.Kind == ItaniumKind.Pack && argument == activePack)
            {
                argument = ItaniumParser.ArgumentAt(argument, activeIndex);
                if (argument is null) return null;
            }
            node = argument;
        }
        return node;
    }

    private ItaniumNode Structural(ItaniumNode node)
    {
        if (lambdaDepth > 0) return node; // inside a lambda signature T_ stays "auto:N"
        var level = scopeTop;
        return Resolve(node, ref level) ?? node;
    }

    private void StructorName(ItaniumNode? node)
    {
        for (var hops = 0; node is not null && hops < 64; hops++)
        {
            switch (node.Kind)
            {
                case ItaniumKind.Nested:
                    // A constructor of an unnamed type is named after the class around it.
                    node = node.Right!.Kind == ItaniumKind.UnnamedType ? node.Left : node.Right;
                    continue;
                case ItaniumKind.Template:
                case ItaniumKind.AbiTag:
                case ItaniumKind.Qualified:
                    node = node.Left;
                    continue;
                case ItaniumKind.TemplateParam: node = Structural(node); continue;
                case ItaniumKind.StdAbbreviation: output.Append(node.Text2!); return;
                default: Node(node); return;
            }
        }
        Ok = false;
    }

    private void Function(ItaniumNode function, bool withReturnType)
    {
        var scope = ItaniumParser.FindTemplateArgs(function.Left!);
        if (scope is null || scopeTop >= MaxDepth)
        {
            FunctionBody(function, withReturnType);
            return;
        }
        // Inside a template argument the stack is temporarily shorter; the slot pushed over must come back.
        var savedTop = scopeTop;
        var overwritten = scopes[scopeTop + 1];
        scopes[++scopeTop] = scope;
        FunctionBody(function, withReturnType);
        scopes[savedTop + 1] = overwritten;
        scopeTop = savedTop;
    }

    private void FunctionBody(ItaniumNode function, bool withReturnType)
    {
        var returnType = withReturnType ? function.Middle : null;
        if (returnType is not null)
        {
            Left(returnType);
            if (!HasRight(returnType)) output.Append(' ');
        }
        var name = function.Left!;
        Node(name.Kind == ItaniumKind.Qualified ? name.Left : name);
        output.Append('(');
        List(function.Right);
        output.Append(')');
        Qualifiers(function.Number);
        if (returnType is not null) Right(returnType);
    }

    private void Qualifiers(int qualifiers)
    {
        if ((qualifiers & ItaniumParser.Const) != 0) output.Append(" const");
        if ((qualifiers & ItaniumParser.Volatile) != 0) output.Append(" volatile");
        if ((qualifiers & ItaniumParser.Restrict) != 0) output.Append(" restrict");
        if ((qualifiers & ItaniumParser.LvalueRef) != 0) output.Append(" &");
        if ((qualifiers & ItaniumParser.RvalueRef) != 0) output.Append(" &&");
    }

    // ---------------------------------------------------------------- types

    private void Type(ItaniumNode type)
    {
        Left(type);
        Right(type);
    }

    private bool IsFunction(ItaniumNode type)
    {
        type = Structural(type);
        if (type.Kind == ItaniumKind.Qualified) type = Structural(type.Left!);
        return type.Kind == ItaniumKind.FunctionType;
    }

    private bool IsArray(ItaniumNode type)
    {
        type = Structural(type);
        if (type.Kind == ItaniumKind.Qualified) type = Structural(type.Left!);
        return type.Kind == ItaniumKind.Array;
    }

    private bool HasRight(ItaniumNode type)
    {
        for (var hops = 0; hops < 64; hops++)
        {
            type = Structural(type);
            switch (type.Kind)
            {
                case ItaniumKind.FunctionType:
                case ItaniumKind.Array:
                    return true;
                case ItaniumKind.Pointer:
                case ItaniumKind.Qualified:
                    type = type.Left!;
                    continue;
                case ItaniumKind.MemberPointer:
                    type = type.Right!;
                    continue;
                default:
                    return false;
            }
        }
        return false;
    }

    /// <summary>Reference collapsing (T&amp; &amp;&amp; is T&amp;): returns the innermost referred type and the surviving reference.</summary>
    private (ItaniumNode Inner, string Text) CollapseReferences(ItaniumNode pointer)
    {
        var text = pointer.Text!;
        var inner = Structural(pointer.Left!);
        if (text == "*") return (inner, text);
        for (var hops = 0; hops < 64 && inner.Kind == ItaniumKind.Pointer && inner.Text != "*"; hops++)
        {
            if (inner.Text == "&") text = "&";
            inner = Structural(inner.Left!);
        }
        return (inner, text);
    }

    private void Left(ItaniumNode type)
    {
        if (!Enter()) return;
        try
        {
            type = Structural(type);
            switch (type.Kind)
            {
                case ItaniumKind.Qualified:
                    {
                        // "T const" with T = "X const" prints one const; a qualified array qualifies its element.
                        var qualifiers = type.Number;
                        var inner = Structural(type.Left!);
                        for (var hops = 0; hops < 64 && inner.Kind == ItaniumKind.Qualified; hops++)
                        {
                            qualifiers |= inner.Number;
                            inner = Structural(inner.Left!);
                        }
                        if (inner.Kind == ItaniumKind.FunctionType)
                        {
                            Left(inner);
                        }
                        else if (inner.Kind == ItaniumKind.Array)
                        {
                            Left(inner.Left!);
                            Qualifiers(qualifiers);
                            output.Append(' ');
                        }
                        else
                        {
                            Left(inner);
                            Qualifiers(qualifiers);
                        }
                        break;
                    }
                case ItaniumKind.Pointer:
                    {
                        var (inner, text) = CollapseReferences(type);
                        Left(inner);
                        if (IsFunction(inner) || IsArray(inner)) output.Append('(');
                        output.Append(text);
                        break;
                    }
                case ItaniumKind.MemberPointer:
                    {
                        var member = Structural(type.Right!);
                        Left(member);
                        output.Append(IsFunction(member) ? "(" : " ");
                        Node(type.Left);
                        output.Append("::*");
                        break;
                    }
                case ItaniumKind.FunctionType:
                    Left(type.Middle!);
                    if (!HasRight(type.Middle!)) output.Append(' ');
                    break;
                case ItaniumKind.Array:
                    Left(type.Left!);
                    if (!HasRight(type.Left!)) output.Append(' ');
                    break;
                case ItaniumKind.Suffixed:
                    Type(type.Left!);
                    output.Append(type.Text!);
                    if (type.Right is not null)
                    {
                        Node(type.Right);
                        output.Append(')');
                    }
                    break;
                default:
                    Node(type);
                    break;
            }
        }
        finally { depth--; }
    }

    private void Right(ItaniumNode type)
    {
        if (!Enter()) return;
        try
        {
            type = Structural(type);
            switch (type.Kind)
            {
                case ItaniumKind.Qualified:
                    {
                        var qualifiers = type.Number;
                        var inner = Structural(type.Left!);
                        for (var hops = 0; hops < 64 && inner.Kind == ItaniumKind.Qualified; hops++)
                        {
                            qualifiers |= inner.Number;
                            inner = Structural(inner.Left!);
                        }
                        Right(inner);
                        if (inner.Kind == ItaniumKind.FunctionType) Qualifiers(qualifiers);
                        break;
                    }
                case ItaniumKind.Pointer:
                    {
                        var (inner, _) = CollapseReferences(type);
                        if (IsFunction(inner)) output.Append(')');
                        else if (IsArray(inner)) output.Append(") ");
                        Right(inner);
                        break;
                    }
                case ItaniumKind.MemberPointer:
                    {
                        var member = Structural(type.Right!);
                        if (IsFunction(member)) output.Append(')');
                        Right(member);
                        break;
                    }
                case ItaniumKind.FunctionType:
                    output.Append('(');
                    List(type.Right);
                    output.Append(')');
                    Qualifiers(type.Number);
                    if (type.Text is not null)
                    {
                        output.Append(type.Text);
                        if (type.Left is not null)
                        {
                            output.Append('(');
                            Node(type.Left);
                            output.Append(')');
                        }
                    }
                    Right(type.Middle!);
                    break;
                case ItaniumKind.Array:
                    output.Append('[');
                    Node(type.Right);
                    output.Append(']');
                    Right(type.Left!);
                    break;
            }
        }
        finally { depth--; }
    }

    // ---------------------------------------------------------------- expressions

    private void Literal(ItaniumNode literal)
    {
        var type = Structural(literal.Left!);
        var digits = input.AsSpan(literal.Start, literal.Length);
        var typeName = type.Kind == ItaniumKind.Text ? type.Text! : null;
        if (typeName == "bool" && literal.Number == 0 && digits is "0" or "1")
        {
            output.Append(digits[0] == '1' ? "true" : "false");
            return;
        }
        if (typeName == "decltype(nullptr)" && digits.IsEmpty)
        {
            output.Append(typeName);
            return;
        }
        var suffix = typeName is null ? null : ItaniumBuiltins.LiteralSuffix(typeName);
        if (suffix is not null)
        {
            if (literal.Number == 1) output.Append('-');
            output.Append(digits);
            output.Append(suffix);
            return;
        }
        output.Append('(');
        Type(literal.Left!);
        output.Append(')');
        if (literal.Number == 1) output.Append('-');
        if (typeName is "float" or "double" or "long double" or "__float128")
        {
            output.Append('[');
            output.Append(digits);
            output.Append(']');
            return;
        }
        output.Append(digits);
    }

    private void Expression(ItaniumNode node)
    {
        switch (node.Kind)
        {
            case ItaniumKind.Binary:
                if (node.Text == "[]")
                {
                    Operand(node.Left!);
                    output.Append('[');
                    Node(node.Right);
                    output.Append(']');
                    break;
                }
                if (node.Text == ">") output.Append('(');
                Operand(node.Left!);
                output.Append(node.Text!);
                Operand(node.Right!);
                if (node.Text == ">") output.Append(')');
                break;
            case ItaniumKind.Prefix:
                output.Append(node.Text!);
                if (node.Text == "&" && node.Left!.Kind == ItaniumKind.Function)
                {
                    // c++filt takes the address of a qualified, non-template function by its bare name.
                    var name = node.Left.Left!;
                    if (name.Kind == ItaniumKind.Qualified) name = name.Left!;
                    if (name.Kind == ItaniumKind.Nested)
                    {
                        Node(name);
                        break;
                    }
                }
                if (node.Number == 1) Node(node.Left);
                else Operand(node.Left!);
                break;
            case ItaniumKind.Conditional:
                Operand(node.Left!);
                output.Append('?');
                Operand(node.Middle!);
                output.Append(" : ");
                Operand(node.Right!);
                break;
            case ItaniumKind.Call:
                if (node.Left!.Kind == ItaniumKind.Function)
                {
                    var callee = node.Left.Left!;
                    output.Append('(');
                    Node(callee.Kind == ItaniumKind.Qualified ? callee.Left : callee);
                    output.Append(')');
                }
                else
                {
                    Operand(node.Left!);
                }
                output.Append('(');
                List(node.Right);
                output.Append(')');
                break;
            case ItaniumKind.Cast:
                output.Append(node.Text!);
                output.Append('<');
                Type(node.Left!);
                output.Append(">(");
                Node(node.Right);
                output.Append(')');
                break;
            case ItaniumKind.Construct:
                if (node.Number == 0)
                {
                    output.Append('(');
                    Type(node.Left!);
                    output.Append(')');
                    Operand(node.Right!.Left!);
                    break;
                }
                if (node.Number == 1)
                {
                    output.Append('(');
                    Type(node.Left!);
                    output.Append(')');
                }
                else
                {
                    Type(node.Left!);
                }
                output.Append(node.Number == 2 ? '{' : '(');
                List(node.Right);
                output.Append(node.Number == 2 ? '}' : ')');
                break;
            case ItaniumKind.New:
                output.Append(node.Text!);
                if (node.Left is not null)
                {
                    output.Append('(');
                    List(node.Left);
                    output.Append(") ");
                }
                Type(node.Middle!);
                if (node.Number == 1)
                {
                    output.Append('(');
                    List(node.Right);
                    output.Append(')');
                }
                break;
            case ItaniumKind.Decltype:
                output.Append("decltype (");
                Node(node.Left);
                output.Append(')');
                break;
            case ItaniumKind.TextParen:
                output.Append(node.Text!);
                output.Append('(');
                Node(node.Left);
                output.Append(')');
                break;
            case ItaniumKind.Member:
                Operand(node.Left!);
                output.Append(node.Text!);
                Node(node.Right);
                break;
            case ItaniumKind.FunctionParam:
                output.Append("{parm#");
                output.Append(node.Number);
                output.Append('}');
                break;
            default:
                Ok = false;
                break;
        }
    }

    /// <summary>An operand is parenthesised unless it is a plain name or a function parameter.</summary>
    private void Operand(ItaniumNode node)
    {
        var simple = node.Kind is ItaniumKind.SourceName or ItaniumKind.Nested or ItaniumKind.FunctionParam;
        if (!simple) output.Append('(');
        Node(node);
        if (!simple) output.Append(')');
    }
}
