namespace Collector.Processors.Symbolization.Demangling;

/// <summary>The expression productions of the Itanium grammar (template arguments X...E, decltype, array bounds).</summary>
internal sealed partial class ItaniumParser
{
    private ItaniumNode? ParseExpressionPrimary()
    {
        if (!Consume('L')) return null;
        if (Peek() == '_' && Peek(1) == 'Z')
        {
            position += 2;
            var encoding = ParseEncoding();
            return encoding is not null && Consume('E') ? encoding : null;
        }
        if (Peek() == 'Z')
        {
            position++;
            var encoding = ParseEncoding();
            return encoding is not null && Consume('E') ? encoding : null;
        }
        var type = ParseType();
        if (type is null) return null;
        var node = New(ItaniumKind.Literal);
        node.Left = type;
        if (Consume('n')) node.Number = 1;
        node.Start = position;
        while (!AtEnd && Peek() != 'E') position++;
        node.Length = position - node.Start;
        return Consume('E') ? node : null;
    }

    private ItaniumNode? ParseExpression()
    {
        if (!Enter()) return null;
        try
        {
            var c = Peek();
            if (c == 'L') return ParseExpressionPrimary();
            if (c == 'T') return ParseTemplateParam();
            if (c == 'f' && Peek(1) == 'p')
            {
                position += 2;
                ParseCvQualifiers();
                var index = 0;
                if (!Consume('_'))
                {
                    if (!ParseLength(out var n) || !Consume('_')) return null;
                    index = n + 1;
                }
                var parameter = New(ItaniumKind.FunctionParam);
                parameter.Number = index + 1;
                return parameter;
            }
            if (c == 'f' && Peek(1) == 'L')
            {
                position += 2;
                if (!ParseLength(out _) || !Consume('p')) return null;
                ParseCvQualifiers();
                var index = 0;
                if (!Consume('_'))
                {
                    if (!ParseLength(out var n) || !Consume('_')) return null;
                    index = n + 1;
                }
                var parameter = New(ItaniumKind.FunctionParam);
                parameter.Number = index + 1;
                return parameter;
            }
            if (IsDigit(c)) return ParseUnresolvedSimple();
            var d = Peek(1);
            switch ((c, d))
            {
                case ('s', 'r'): return ParseUnresolvedName();
                case ('g', 's'):
                    {
                        position += 2;
                        var inner = ParseExpression();
                        if (inner is null) return null;
                        var node = New(ItaniumKind.Prefix);
                        node.Text = "::";
                        node.Left = inner;
                        node.Number = 1;
                        return node;
                    }
                case ('c', 'l'):
                    {
                        position += 2;
                        var callee = ParseExpression();
                        if (callee is null) return null;
                        var args = ParseList(ListItem.Expression);
                        if (args is null) return null;
                        var call = New(ItaniumKind.Call);
                        call.Left = callee;
                        call.Right = args.Right;
                        return call;
                    }
                case ('c', 'v'):
                    {
                        position += 2;
                        var type = ParseType();
                        if (type is null) return null;
                        var node = New(ItaniumKind.Construct);
                        node.Left = type;
                        if (Consume('_'))
                        {
                            var list = ParseList(ListItem.Expression);
                            if (list is null) return null;
                            node.Right = list.Right;
                            node.Number = 1;
                            return node;
                        }
                        var operand = ParseExpression();
                        if (operand is null) return null;
                        node.Right = New(ItaniumKind.ListCell);
                        node.Right.Left = operand;
                        return node;
                    }
                case ('t', 'l'):
                    {
                        position += 2;
                        var type = ParseType();
                        if (type is null) return null;
                        var list = ParseList(ListItem.Expression);
                        if (list is null) return null;
                        var node = New(ItaniumKind.Construct);
                        node.Left = type;
                        node.Right = list.Right;
                        node.Number = 2;
                        return node;
                    }
                case ('s', 't'):
                case ('a', 't'):
                    {
                        position += 2;
                        var type = ParseType();
                        return type is null ? null : TextParen(c == 's' ? "sizeof " : "alignof ", type);
                    }
                case ('s', 'z'):
                case ('a', 'z'):
                    {
                        position += 2;
                        var operand = ParseExpression();
                        return operand is null ? null : TextParen(c == 's' ? "sizeof " : "alignof ", operand);
                    }
                case ('n', 'x'):
                    {
                        position += 2;
                        var operand = ParseExpression();
                        return operand is null ? null : TextParen("noexcept ", operand);
                    }
                case ('s', 'Z'):
                    {
                        position += 2;
                        var operand = Peek() == 'T' ? ParseTemplateParam() : ParseExpression();
                        return operand is null ? null : TextParen("sizeof...", operand);
                    }
                case ('s', 'p'):
                    {
                        position += 2;
                        var operand = ParseExpression();
                        if (operand is null) return null;
                        var node = New(ItaniumKind.PackExpansion);
                        node.Left = operand;
                        return node;
                    }
                case ('d', 't'):
                case ('p', 't'):
                    {
                        position += 2;
                        var target = ParseExpression();
                        if (target is null) return null;
                        var member = ParseUnresolvedNameOrSimple();
                        if (member is null) return null;
                        var node = New(ItaniumKind.Member);
                        node.Left = target;
                        node.Right = member;
                        node.Text = c == 'd' ? "." : "->";
                        return node;
                    }
                case ('d', 'c'):
                case ('s', 'c'):
                case ('c', 'c'):
                case ('r', 'c'):
                    {
                        position += 2;
                        var type = ParseType();
                        if (type is null) return null;
                        var operand = ParseExpression();
                        if (operand is null) return null;
                        var node = New(ItaniumKind.Cast);
                        node.Text = c switch { 'd' => "dynamic_cast", 's' => "static_cast", 'c' => "const_cast", _ => "reinterpret_cast" };
                        node.Left = type;
                        node.Right = operand;
                        return node;
                    }
                case ('n', 'w'):
                case ('n', 'a'):
                    {
                        // new-expression: nw|na expression* _ type (E | pi expression* E)
                        position += 2;
                        var placement = ParseList(ListItem.Expression, terminator: '_');
                        if (placement is null) return null;
                        var type = ParseType();
                        if (type is null) return null;
                        var node = New(ItaniumKind.New);
                        node.Text = d == 'w' ? "new " : "new[] ";
                        node.Left = placement.Right;
                        node.Middle = type;
                        if (Peek() == 'p' && Peek(1) == 'i')
                        {
                            position += 2;
                            var initializers = ParseList(ListItem.Expression);
                            if (initializers is null) return null;
                            node.Right = initializers.Right;
                            node.Number = 1;
                            return node;
                        }
                        return Consume('E') ? node : null;
                    }
                case ('t', 'w'):
                    {
                        position += 2;
                        var operand = ParseExpression();
                        return operand is null ? null : PrefixNode("throw ", operand);
                    }
                case ('t', 'r'):
                    position += 2;
                    return TextNode("throw");
                case ('o', 'n'):
                    position += 2;
                    return ParseUnresolvedNameOrSimple(operatorAllowed: true);
            }
            var op = ItaniumOperators.Find(c, d);
            if (op is null) return null;
            position += 2;
            var info = op.Value;
            if (info.Arity == 1)
            {
                var operand = ParseExpression();
                return operand is null ? null : PrefixNode(info.Symbol, operand);
            }
            if (info.Arity == 2)
            {
                var left = ParseExpression();
                if (left is null) return null;
                var right = ParseExpression();
                if (right is null) return null;
                var node = New(ItaniumKind.Binary);
                node.Left = left;
                node.Right = right;
                node.Text = info.Symbol;
                return node;
            }
            if (info.Arity == 3)
            {
                var condition = ParseExpression();
                var whenTrue = condition is null ? null : ParseExpression();
                var whenFalse = whenTrue is null ? null : ParseExpression();
                if (whenFalse is null) return null;
                var node = New(ItaniumKind.Conditional);
                node.Left = condition;
                node.Middle = whenTrue;
                node.Right = whenFalse;
                return node;
            }
            return null;
        }
        finally { depth--; }
    }

    private ItaniumNode TextParen(string text, ItaniumNode operand)
    {
        var node = New(ItaniumKind.TextParen);
        node.Text = text;
        node.Left = operand;
        return node;
    }

    private ItaniumNode PrefixNode(string text, ItaniumNode operand)
    {
        var node = New(ItaniumKind.Prefix);
        node.Text = text;
        node.Left = operand;
        return node;
    }

    /// <summary>sr unresolved-type base-name | srN unresolved-type qualifier-level* E base-name | sr qualifier-level* E base-name.</summary>
    private ItaniumNode? ParseUnresolvedName()
    {
        position += 2;
        ItaniumNode? scope;
        if (Consume('N'))
        {
            scope = ParseUnresolvedType();
            if (scope is null) return null;
            while (!Consume('E'))
            {
                if (AtEnd || Failed) return null;
                var level = ParseUnresolvedSimple();
                if (level is null) return null;
                scope = Nest(scope, level);
            }
        }
        else if (IsDigit(Peek()))
        {
            scope = null;
            while (!Consume('E'))
            {
                if (AtEnd || Failed) return null;
                var level = ParseUnresolvedSimple();
                if (level is null) return null;
                scope = Nest(scope, level);
            }
            if (scope is null) return null;
        }
        else
        {
            scope = ParseUnresolvedType();
            if (scope is null) return null;
        }
        var baseName = ParseUnresolvedNameOrSimple(operatorAllowed: true);
        if (baseName is null) return null;
        if (baseName.Kind != ItaniumKind.Template) return Nest(scope, baseName);
        // scope::name<args> is a template of a qualified name, which matters for parenthesising.
        baseName.Left = Nest(scope, baseName.Left!);
        return baseName;
    }

    private ItaniumNode? ParseUnresolvedType()
    {
        if (Peek() == 'T')
        {
            var param = ParseTemplateParam();
            if (param is null) return null;
            AddSubstitution(param);
            if (Peek() == 'I')
            {
                param = ApplyTemplateArgs(param);
                if (param is not null) AddSubstitution(param);
            }
            return param;
        }
        if (Peek() == 'D' || Peek() == 'S') return ParseType();
        return ParseUnresolvedSimple();
    }

    private ItaniumNode? ParseUnresolvedNameOrSimple(bool operatorAllowed = false)
    {
        if (IsDigit(Peek())) return ParseUnresolvedSimple();
        if (Peek() == 'o' && Peek(1) == 'n')
        {
            position += 2;
        }
        if (Peek() == 'd' && Peek(1) == 'n')
        {
            position += 2;
            var destroyed = IsDigit(Peek()) ? ParseUnresolvedSimple() : ParseUnresolvedType();
            if (destroyed is null) return null;
            var node = New(ItaniumKind.Prefix);
            node.Text = "~";
            node.Left = destroyed;
            node.Number = 1;
            return node;
        }
        if (!operatorAllowed && !IsLower(Peek())) return null;
        var op = ParseOperatorName();
        if (op is null) return null;
        return Peek() == 'I' ? ApplyTemplateArgs(op) : op;
    }

    /// <summary>source-name [template-args]</summary>
    private ItaniumNode? ParseUnresolvedSimple()
    {
        var name = ParseSourceName();
        if (name is null) return null;
        if (Peek() == 'I')
        {
            var templated = ApplyTemplateArgs(name);
            return templated;
        }
        return name;
    }
}
