// The ModelC language (SPEC section 2). The parse tree this grammar yields never leaves the
// Dsl project: Parsing/SyntaxTreeBuilder.cs turns it into the records of Syntax/SyntaxNodes.cs.
// After editing, run scripts/regenerate-parser.sh; a test fails while the checked-in parser is stale.
grammar ModelC;

// ---------------------------------------------------------------- files and declarations

modelFile
    : namespaceDeclaration? declaration* EOF
    ;

namespaceDeclaration
    : NAMESPACE qualifiedName ';'
    ;

qualifiedName
    : identifier ('.' identifier)*
    ;

declaration
    : modelDeclaration
    | blockDeclaration
    ;

modelDeclaration
    : MODEL identifier '{' modelStatement* '}'
    ;

modelStatement
    : inputStatement
    | targetStatement
    | layerStatement
    | paramStatement
    | letStatement
    | outputStatement
    | lossStatement
    | trainStatement
    ;

// A block declares its layers and parameters first, then says how they are applied.
blockDeclaration
    : BLOCK identifier '(' identifierList? ')' '{' blockStatement* forwardDeclaration '}'
    ;

blockStatement
    : layerStatement
    | paramStatement
    ;

forwardDeclaration
    : FORWARD '(' identifierList? ')' '{' forwardStatement* '}'
    ;

forwardStatement
    : letStatement
    | returnStatement
    ;

identifierList
    : identifier (',' identifier)*
    ;

// ---------------------------------------------------------------- statements

inputStatement
    : INPUT identifier ':' type ';'
    ;

targetStatement
    : TARGET identifier ':' type ';'
    ;

layerStatement
    : LAYER identifier '=' layerConstructor ';'
    ;

layerConstructor
    : identifier '(' argumentList? ')'
    ;

paramStatement
    : PARAM identifier ':' type ('=' expression)? ';'
    ;

letStatement
    : LET identifier '=' expression ';'
    ;

outputStatement
    : OUTPUT identifier '=' expression ';'
    ;

lossStatement
    : LOSS '=' expression ';'
    ;

returnStatement
    : RETURN expression ';'
    ;

trainStatement
    : TRAIN '{' trainSetting* '}'
    ;

trainSetting
    : identifier '=' expression ';'             # assignedSetting
    | identifier '(' argumentList? ')' ';'      # calledSetting
    ;

// ---------------------------------------------------------------- types

type
    : FLOAT dimensionList?                      # floatType
    | INT '<' dimension '>' dimensionList?      # intType
    ;

dimensionList
    : '[' dimension (',' dimension)* ']'
    ;

// The sign is accepted so that `float[-3]` gets a clear "must be positive" message instead of a parse error.
dimension
    : '-'? INTEGER
    ;

// ---------------------------------------------------------------- expressions

// Earlier alternatives bind tighter: postfix call, member and index; then unary signs;
// then * / @; then + -. All binary operators associate to the left.
expression
    : expression '(' argumentList? ')'                  # callExpression
    | expression '.' identifier                         # memberExpression
    | expression '[' expression ']'                     # indexExpression
    | op=('-' | '+') expression                   # unaryExpression
    | expression op=('*' | '/' | '@') expression  # multiplicativeExpression
    | expression op=('+' | '-') expression        # additiveExpression
    | '(' expression ')'                                # parenthesizedExpression
    | '[' (expression (',' expression)*)? ']'           # listExpression
    | (INTEGER | DECIMAL)                               # numberExpression
    | identifier                                        # nameExpression
    ;

argumentList
    : argument (',' argument)*
    ;

argument
    : (identifier ':')? expression
    ;

// Words that start statements are keywords only where a statement starts; elsewhere they are
// ordinary names (`let output = ...`, `fc.input`). `let` and `return` stay reserved so that a
// statement whose ';' is missing is reported at the next statement instead of being swallowed.
identifier
    : IDENTIFIER
    | NAMESPACE | MODEL | BLOCK | FORWARD
    | INPUT | TARGET | LAYER | PARAM | OUTPUT | LOSS | TRAIN
    | FLOAT | INT
    ;

// ---------------------------------------------------------------- tokens

NAMESPACE : 'namespace';
MODEL     : 'model';
BLOCK     : 'block';
FORWARD   : 'forward';
INPUT     : 'input';
TARGET    : 'target';
LAYER     : 'layer';
PARAM     : 'param';
LET       : 'let';
OUTPUT    : 'output';
LOSS      : 'loss';
TRAIN     : 'train';
RETURN    : 'return';
FLOAT     : 'float';
INT       : 'int';

LEFT_PAREN    : '(';
RIGHT_PAREN   : ')';
LEFT_BRACE    : '{';
RIGHT_BRACE   : '}';
LEFT_BRACKET  : '[';
RIGHT_BRACKET : ']';
LESS          : '<';
GREATER       : '>';
SEMICOLON     : ';';
COLON         : ':';
COMMA         : ',';
DOT           : '.';
ASSIGN        : '=';
PLUS          : '+';
MINUS         : '-';
STAR          : '*';
SLASH         : '/';
AT            : '@';

IDENTIFIER : [a-zA-Z_] [a-zA-Z_0-9]*;

INTEGER : DIGIT+;

DECIMAL
    : DIGIT+ '.' DIGIT+ EXPONENT?
    | DIGIT+ EXPONENT
    ;

fragment DIGIT    : [0-9];
fragment EXPONENT : [eE] [+-]? DIGIT+;

WHITESPACE    : [ \t\r\n\f]+ -> channel(HIDDEN);
LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN);

// A '/*' with no closing '*/' runs to the end of the file. It is longer than BLOCK_COMMENT
// only when no '*/' follows, so the lexer picks it exactly then; the parser never sees it
// and the pre-scan reports it.
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* -> channel(HIDDEN);

// Anything else becomes a token of its own so the parser reports it in context
// ("unexpected character '#'") instead of the lexer printing to the console.
UNEXPECTED_CHARACTER : .;
