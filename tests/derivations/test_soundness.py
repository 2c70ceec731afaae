"""The red-team suite: false claims written against the engine's public API, each refused.

Every test here writes a claim the way a claim author would (``Claim``, ``Chain``/``Link``,
``Define``, ``Cite``, ``ForEvery``, ``Cases``, ``Induction``, ...), with no monkeypatching,
whose statement is false or whose proof uses a step that does not hold in general, and
asserts that ``check()`` raises :class:`DerivationError` with a message naming the reason.
Each attack was accepted by the engine before the rule that now refuses it (the rule is
named in the test's docstring), so each test fails if that rule is taken out.
"""

import pytest
from sympy import (
    EmptySet,
    Eq,
    Interval,
    FiniteSet,
    Float,
    Function,
    FunctionMatrix,
    Ge,
    Gt,
    Identity,
    ImmutableMatrix,
    Integer,
    Inverse,
    KroneckerDelta,
    Rational,
    Lambda,
    MatPow,
    MatrixSymbol,
    Naturals,
    Naturals0,
    Ne,
    OneMatrix,
    Q,
    Symbol,
    Trace,
    ZeroMatrix,
    cos,
    sin,
    symbols,
)
from sympy.tensor.indexed import Idx

from derivations.engine import (
    Chain,
    Claim,
    Define,
    DerivationError,
    ForEvery,
    Induction,
    Link,
    Part,
    Specialise,
    Step,
    prose,
)

d, k, n = symbols("d k n", integer=True, positive=True)
i, j = symbols("i j", integer=True)
p, q = symbols("p q", integer=True)
x, y, z, c = symbols("x y z c")
m = Symbol("m", integer=True)
W = MatrixSymbol("W", d, k)
A = MatrixSymbol("A", d, d)
B = MatrixSymbol("B", d, d)
X = MatrixSymbol("X", n, n)
Y = MatrixSymbol("Y", n, n)
Z = MatrixSymbol("Z", n, n)
I_n, J_n, O_n = Identity(n), OneMatrix(n, n), ZeroMatrix(n, n)


# Holes not closed yet: each such test must fail (strict), so closing a hole shows here.
OPEN = pytest.mark.xfail(strict=True, reason="not closed yet")


def attack(*proof, hypotheses=(), conclusions, instances=()):
    return Claim(id="Z9", title="an attack", statement=prose("a false statement"),
                 hypotheses=hypotheses, conclusions=conclusions, proof=proof,
                 instances=instances)


def refused(claim: Claim, reason: str) -> str:
    with pytest.raises(DerivationError, match=reason) as error:
        claim.check()
    return str(error.value)


def equal(lhs, rhs):
    return Eq(lhs, rhs, evaluate=False)


def chain(start, *ends, using=()):
    """``start = e_1 = e_2 ...``, every link using the same rules."""
    return Chain("attack", start, tuple(Link(end, "because", using=using) for end in ends))


# --- Define takes a fresh Symbol or MatrixSymbol of the value's kind and shape --------------


def test_define_refuses_a_product_as_the_name():
    """``Define(W^T W, I_k)`` would prove ``W W^T W = W`` for every ``W``."""
    definition = Define(W.T * W, Identity(k))
    proof = (definition, chain(W * W.T * W, W, using=(definition.definition,)))
    refused(attack(*proof, conclusions=(equal(W * W.T * W, W),)), "names a fresh symbol")


def test_define_refuses_an_expression_of_a_hypothesis_symbol():
    """``Define(2x, 5)`` under ``x = 3`` would prove ``6 = 5``."""
    three, five = Eq(x, 3), Define(2 * x, 5)
    proof = (five, Chain("6 = 5", Integer(6), (
        Link(2 * x, "x = 3", using=(three,)),
        Link(5, "the definition", using=(five.definition,)))))
    refused(attack(*proof, hypotheses=(three,), conclusions=(equal(Integer(6), 5),)),
            "names a fresh symbol")


def test_define_refuses_a_matrix_entry():
    """``Define(W[0, 0], 0)`` would prove that every matrix has a zero corner."""
    refused(attack(Define(W[0, 0], 0), conclusions=(equal(W[0, 0], 0),)),
            "names a fresh symbol")


def test_define_refuses_an_applied_function():
    """``Define(f(x), 0)`` would prove ``f(x) = 0`` for every ``f``."""
    f = Function("f")
    refused(attack(Define(f(x), 0), conclusions=(equal(f(x), 0),)), "names a fresh symbol")


def test_define_refuses_a_name_of_another_shape():
    """A ``d x d`` name defined as ``I_k`` proves ``d = k``: ``tr(A B)`` collapses either way."""
    a, b = Define(A, Identity(k)), Define(B, Identity(d))
    proof = (a, b, Chain("d = k", d, (
        Link(Trace(A * B), "A first", using=(a.definition, b.definition)),
        Link(k, "B first", using=(b.definition, a.definition)))))
    refused(attack(*proof, conclusions=(equal(d, k),)), "shape")


def test_define_refuses_a_scalar_name_for_a_matrix():
    """A scalar name ``x := I_k`` would multiply like a number and add like a matrix."""
    proof = (Define(x, Identity(k)), chain(W.T * W, W.T * W))
    refused(attack(*proof, conclusions=(equal(W.T * W, W.T * W),)), "kind")


def test_define_refuses_a_matrix_name_for_a_scalar():
    """A matrix name ``A := 1`` is not a matrix."""
    proof = (Define(A, Integer(1)), chain(W.T * W, W.T * W))
    refused(attack(*proof, conclusions=(equal(W.T * W, W.T * W),)), "kind")


def test_define_refuses_a_name_that_occurs_in_its_value():
    """``x := x + 1`` is a contradiction, not a definition."""
    proof = (Define(x, x + 1), chain(Integer(0), Integer(0)))
    refused(attack(*proof, conclusions=(equal(Integer(0), 0),)), "occurs in its value")


def test_define_refuses_a_name_whose_assumptions_the_value_lacks():
    """``p := -1`` for a symbol declared positive proves ``-1 > 0``."""
    positive = Symbol("t", positive=True)
    minus_one = Define(positive, -1)
    proof = (minus_one, Chain("-1 > 0", Integer(-1), (
        Link(positive, "the definition", using=(minus_one.definition,)),
        Link(0, "t is positive", relation=">"))))
    refused(attack(*proof, conclusions=(Gt(-1, 0, evaluate=False),)), "assumption")


def test_define_refuses_an_index():
    """An ``Idx`` is not a name to define."""
    index = Idx("i", n)
    refused(attack(Define(index, 0), conclusions=(equal(index, 0),)), "names a fresh symbol")


def test_define_refuses_a_name_of_the_statement():
    """A name the statement uses is not fresh (kept from before: it held)."""
    refused(attack(Define(x, 0), conclusions=(equal(x, 0),)), "not a fresh name")


def test_define_refuses_a_name_a_hypothesis_uses():
    """Defining ``x`` after ``x = 3`` is known would contradict it."""
    proof = (Define(y, 1), Define(x, 5), chain(x, 5, using=()))
    refused(attack(*proof, hypotheses=(Eq(x, 3),), conclusions=(equal(y, 1),)),
            "not a fresh name")


def test_define_refuses_a_name_defined_twice():
    """Two definitions of one name prove ``0 = 1``."""
    zero, one = Define(y, 0), Define(y, 1)
    proof = (zero, one, Chain("0 = 1", Integer(0), (
        Link(y, "y := 0", using=()), Link(1, "y := 1", using=(one.definition,)))))
    refused(attack(*proof, conclusions=(equal(Integer(0), 1),)), "not a fresh name")


# --- ForEvery takes distinct fresh index symbols ---------------------------------------------


def test_for_every_refuses_a_repeated_index():
    """``(i, i)`` compares only the diagonal: it would prove ``I_n = J_n``."""
    proof = ForEvery((i, i), (chain(Integer(1), Integer(1)),), equal(I_n, J_n))
    refused(attack(proof, conclusions=(equal(I_n, J_n),)), "distinct")


def test_for_every_refuses_numbers_as_indices():
    """``(0, 0)`` compares one entry: it would prove ``I_n = J_n``."""
    proof = ForEvery((Integer(0), Integer(0)), (chain(Integer(1), Integer(1)),),
                     equal(I_n, J_n))
    refused(attack(proof, conclusions=(equal(I_n, J_n),)), "index symbols")


def test_for_every_refuses_indices_a_hypothesis_pins():
    """Under ``i = j = 0`` the entry ``(i, j)`` is one entry."""
    pins = (Eq(i, 0), Eq(j, 0))
    proof = ForEvery((i, j), (Chain("corner", I_n[i, j], (
        Link(1, "i = j = 0", using=pins), Link(J_n[i, j], "every entry of J is 1"))),),
        equal(I_n, J_n))
    refused(attack(proof, hypotheses=pins, conclusions=(equal(I_n, J_n),)), "mentions")


def test_for_every_refuses_indices_the_inner_proof_defines():
    """Defining ``i := 0`` and ``j := 0`` inside the entrywise proof pins them."""
    zero_i, zero_j = Define(i, 0), Define(j, 0)
    pins = (zero_i.definition, zero_j.definition)
    proof = ForEvery((i, j), (zero_i, zero_j, Chain("corner", I_n[i, j], (
        Link(1, "i = j = 0", using=pins), Link(J_n[i, j], "every entry of J is 1")))),
        equal(I_n, J_n))
    refused(attack(proof, conclusions=(equal(I_n, J_n),)), "not a fresh name")


def test_for_every_refuses_one_index_for_a_square_matrix():
    """One index compares column 0 only; ``N`` is ``I_n`` plus ones in column 1."""
    N = I_n + FunctionMatrix(n, n, Lambda((p, q), KroneckerDelta(q, 1)))
    proof = ForEvery((i,), (Chain("column 0", I_n[i, 0], (Link(N[i, 0], "the same"),)),),
                     equal(I_n, N))
    refused(attack(proof, conclusions=(equal(I_n, N),)), "column")


def test_for_every_refuses_an_index_with_assumptions():
    """A positive row index skips row 0, where ``N`` differs from ``I_n``."""
    row = Symbol("r", integer=True, positive=True)
    N = FunctionMatrix(n, n, Lambda((p, q), KroneckerDelta(p, q)
                                    + KroneckerDelta(p, 0) * KroneckerDelta(q, 0)))
    proof = ForEvery((row, j), (Chain("an entry", I_n[row, j], (
        Link(N[row, j], "row r is not row 0"),)),), equal(I_n, N))
    refused(attack(proof, conclusions=(equal(I_n, N),)), "integer=True")


def test_for_every_refuses_an_index_whose_range_is_not_the_rows():
    """``Idx('i', 1)`` ranges over row 0 only."""
    row, column = Idx("i", 1), Idx("j", n)
    proof = ForEvery((row, column), (chain(I_n[row, column], I_n[row, column]),),
                     equal(I_n, I_n))
    refused(attack(proof, conclusions=(equal(I_n, I_n),)), "range")


def test_for_every_refuses_indices_in_the_matrices():
    """An index inside the matrices is not generic (kept from before: it held)."""
    proof = ForEvery((i, j), (chain(Integer(1), Integer(1)),),
                     equal(I_n * i, I_n * i))
    refused(attack(proof, conclusions=(equal(I_n * i, I_n * i),)), "must not occur")


def test_for_every_refuses_an_index_a_hypothesis_relates():
    """Under ``i = j`` the entry ``(i, j)`` is a diagonal entry."""
    same = Eq(i, j)
    proof = ForEvery((i, j), (Chain("diagonal", I_n[i, j], (
        Link(1, "i = j", using=(same,)), Link(J_n[i, j], "every entry of J is 1"))),),
        equal(I_n, J_n))
    refused(attack(proof, hypotheses=(same,), conclusions=(equal(I_n, J_n),)), "mentions")


# --- Induction: the variable is an integer and nothing more ----------------------------------


def _delta_induction(variable, start=0):
    """``delta(v, 1) = 0`` for every ``v >= 0``: the step holds only for ``v != 0``."""
    statement = equal(KroneckerDelta(variable, 1), 0)
    induction = Induction(variable, statement,
                          (chain(KroneckerDelta(0, 1), Integer(0)),),
                          (chain(KroneckerDelta(variable + 1, 1), Integer(0)),), start=start)
    return induction, Specialise(statement, variable, 1, start=start)


def test_induction_refuses_a_positive_variable_from_zero():
    """A positive variable makes the step use ``n >= 1``: it proves ``1 = 0``."""
    proof = _delta_induction(Symbol("v", integer=True, positive=True))
    refused(attack(*proof, conclusions=(equal(Integer(1), 0),)), "integer=True")


def test_induction_refuses_an_odd_variable():
    """An odd variable is never 0: the step is again vacuous at 0."""
    proof = _delta_induction(Symbol("v", integer=True, odd=True))
    refused(attack(*proof, conclusions=(equal(Integer(1), 0),)), "integer=True")


def test_induction_refuses_a_known_variable():
    """The variable may not occur in what is known (kept from before: it held)."""
    v = Symbol("v", integer=True)
    induction, specialise = _delta_induction(v)
    refused(attack(induction, specialise, hypotheses=(Ge(v, 5),),
                   conclusions=(equal(Integer(1), 0),)), "occurs in what is known")


# --- Floats and printed names ----------------------------------------------------------------


def test_a_float_in_a_step_is_refused():
    """``x = 1`` would prove ``x + 10^-20 = 1``: floats round."""
    one = Eq(x, 1)
    proof = chain(x + Float(1e-20), Integer(1), using=(one,))
    refused(attack(proof, hypotheses=(one,), conclusions=(equal(x + Float(1e-20), 1),)),
            "float")


def test_a_float_in_a_conclusion_is_refused():
    """``1 = 1 + 10^-20`` as floats compare."""
    proof = chain(Integer(1), Integer(1) + Float(1e-20))
    refused(attack(proof, conclusions=(equal(Integer(1), Integer(1) + Float(1e-20)),)),
            "float")


def test_a_float_in_a_hypothesis_is_refused():
    """``x = 0.1`` gives ``3 x = 0.3`` only up to rounding."""
    tenth = Eq(x, Float(0.1))
    proof = chain(3 * x, Float(0.3), using=(tenth,))
    refused(attack(proof, hypotheses=(tenth,), conclusions=(equal(3 * x, Float(0.3)),)),
            "float")


def test_two_symbols_printed_alike_are_refused():
    """``x = -1`` implies ``x > 0``, as printed: one ``x`` is real, the other positive."""
    real, positive = Symbol("x", real=True), Symbol("x", positive=True)
    proof = Chain("x > 0", positive, (Link(0, "x is positive", relation=">"),))
    refused(attack(proof, hypotheses=(Eq(real, -1),), conclusions=(Gt(positive, 0),)),
            "print as x")


def test_a_plain_and_a_real_symbol_printed_alike_are_refused():
    """``x^2 = -1`` implies ``x^2 >= 0``, as printed."""
    plain, real = Symbol("x"), Symbol("x", real=True)
    proof = Chain("a square", real**2, (Link(0, "a real square", relation=">="),))
    refused(attack(proof, hypotheses=(Eq(plain**2, -1),), conclusions=(Ge(real**2, 0),)),
            "print as x")


def test_a_scalar_and_a_matrix_printed_alike_are_refused():
    """A scalar ``W`` defined inside a proof about the matrix ``W``."""
    scalar = Symbol("W")
    proof = (Define(scalar, 0), chain(W.T * W, W.T * W))
    refused(attack(*proof, conclusions=(equal(W.T * W, W.T * W),)), "print as W")


# --- Sets: != needs a witness -----------------------------------------------------------------


def test_sets_that_differ_in_form_are_not_proved_unequal():
    """``{x} != {y}`` for all ``x, y`` is false at ``x = y``."""
    proof = Chain("differ", FiniteSet(x), (Link(FiniteSet(y), "they differ", relation="!="),))
    refused(attack(proof, conclusions=(Ne(FiniteSet(x), FiniteSet(y), evaluate=False),)),
            "witness")


def test_equal_sets_written_differently_are_not_proved_unequal():
    """``N_0 minus {0}`` is ``N``."""
    left = Naturals0 - FiniteSet(0)
    proof = Chain("differ", left, (Link(Naturals, "they differ", relation="!="),))
    refused(attack(proof, conclusions=(Ne(left, Naturals, evaluate=False),)), "witness")


# --- Hidden divisions --------------------------------------------------------------------------


def test_a_power_of_unknown_sign_is_a_possible_inverse():
    """``Z^m Z`` with ``m = -1``, ``Z = 0``: ``I = Z^{-1} Z = 0``."""
    minus_one, zero = Eq(m, -1), Eq(Z, O_n)
    proof = Chain("I = 0", I_n, (
        Link(MatPow(Z, m) * Z, "m = -1", using=(minus_one,)),
        Link(O_n, "Z = 0", using=(zero,))))
    refused(attack(proof, hypotheses=(minus_one, zero), conclusions=(equal(I_n, O_n),)),
            "unjustified inverse")


def test_a_scalar_power_of_unknown_sign_is_a_possible_inverse():
    """``z^m z = 1`` at ``z = 0``, ``m = -1``: ``0^{-1} 0`` is not defined."""
    minus_one, zero = Eq(m, -1), Eq(z, 0)
    proof = chain(z**m * z, Integer(1), using=(minus_one,))
    refused(attack(proof, hypotheses=(minus_one, zero), conclusions=(equal(z**m * z, 1),)),
            "unjustified inverse")


def test_a_zero_matrix_to_a_power_needs_a_positive_exponent():
    """``0^m = 0`` is false at ``m = 0``, where ``0^0 = I``."""
    natural = Symbol("m", integer=True, nonnegative=True)
    power = MatPow(O_n, natural)
    refused(attack(chain(power, O_n), conclusions=(equal(power, O_n),)), "m > 0|positive")


def test_a_ones_matrix_to_a_power_needs_a_positive_exponent():
    """``J^m = n^(m-1) J`` is false at ``m = 0``, where ``J^0 = I``."""
    natural = Symbol("m", integer=True, nonnegative=True)
    power = MatPow(J_n, natural)
    refused(attack(chain(power, n**(natural - 1) * J_n),
                   conclusions=(equal(power, n**(natural - 1) * J_n),)), "m > 0|positive")


def test_a_zero_power_that_appears_while_rewriting_is_checked():
    """``Y^m`` with ``Y = 0``: ``0^m`` appears only inside the rewrite, then becomes ``0``."""
    natural = Symbol("m", integer=True, nonnegative=True)
    zero = Eq(Y, O_n)
    proof = chain(MatPow(Y, natural), O_n, using=(zero,))
    refused(attack(proof, hypotheses=(zero,), conclusions=(equal(MatPow(Y, natural), O_n),)),
            "positive")


def test_c_times_an_invertible_matrix_is_not_invertible_at_c_zero():
    """SymPy's ``ask`` says ``c X`` is invertible when ``X`` is, even at ``c = 0``: that
    licenses ``G := (c X)^{-1}``, and then ``0 = c G X = I`` under ``c = 0``."""
    invertible, zero = Q.invertible(X), Eq(c, 0)
    G = MatrixSymbol("G", n, n)
    inverse = Define(G, Inverse(c * X))
    proof = (inverse, Chain("0 = I", O_n, (
        Link(c * G * X, "c = 0", using=(zero,)),
        Link(I_n, "G is the inverse of c X", using=(inverse.definition,)))))
    refused(attack(*proof, hypotheses=(invertible, zero), conclusions=(equal(O_n, I_n),)),
            "unjustified inverse")


def test_a_numeric_divisor_must_be_proved_nonzero():
    """``sin(1)^2 + cos(1)^2 - 1`` is 0: ``2a / a = 2`` divides by zero."""
    a = sin(1)**2 + cos(1)**2 - 1
    refused(attack(chain(2 * a / a, Integer(2)), conclusions=(equal(2 * a / a, 2),)),
            "unjustified inverse")


def test_an_explicit_matrix_with_a_zero_determinant_is_not_inverted():
    """``x [[x]]^{-1} = [[1]]`` under ``x = 0``: SymPy evaluates the explicit inverse at
    once, to ``[[1/x]]``, and ``1/x`` is refused (kept from before: it held)."""
    zero, M = Eq(x, 0), ImmutableMatrix([[x]])
    proof = chain(x * Inverse(M), ImmutableMatrix([[1]]))
    refused(attack(proof, hypotheses=(zero,),
                   conclusions=(equal(x * Inverse(M), ImmutableMatrix([[1]])),)),
            "unjustified inverse")


def test_an_exact_instance_may_not_invert_a_singular_explicit_matrix():
    """An instance ``x := 0`` with ``x [[x]]^{-1} = [[1]]`` would assert
    ``0 [[0]]^{-1} = [[1]]``; its ``1/x`` is refused (kept from before: it held)."""
    M = ImmutableMatrix([[x]])
    instance = Part("x = 0", steps=(Step(x * Inverse(M), ImmutableMatrix([[1]]), "cancel",
                                         using=(Eq(x, 0),)),))
    claim = attack(chain(Integer(1), Integer(1)), conclusions=(equal(Integer(1), 1),),
                   instances=(instance,))
    refused(claim, "unjustified inverse")


def test_a_scalar_inverse_without_a_licence_is_refused():
    """``y / x`` is not defined at ``x = 0`` (kept from before: it held)."""
    refused(attack(chain(y / x, y / x), conclusions=(equal(y / x, y / x),)),
            "unjustified inverse")


# --- More of the same mechanisms ---------------------------------------------------------------


def test_define_refuses_a_trace():
    """``Define(tr(A), 0)`` would prove that every square matrix has trace 0."""
    refused(attack(Define(Trace(A), 0), conclusions=(equal(Trace(A), 0),)),
            "names a fresh symbol")


def test_define_refuses_a_transpose():
    """``Define(A^T, A)`` would prove that every square matrix is symmetric."""
    refused(attack(Define(A.T, A), conclusions=(equal(A.T, A),)), "names a fresh symbol")


def test_define_refuses_an_integer_name_for_a_half():
    """``t := 1/2`` for an integer ``t`` would make ``1/2`` an integer."""
    t = Symbol("t", integer=True)
    half = Define(t, Rational(1, 2))
    proof = (half, Chain("2 t = 1", 2 * t, (Link(1, "t = 1/2", using=(half.definition,)),)))
    refused(attack(*proof, conclusions=(equal(Integer(1), 1),)), "assumption")


def test_a_float_in_a_definition_is_refused():
    """A float in a definition rounds like any other."""
    proof = (Define(y, Float(0.1)), chain(Integer(1), Integer(1)))
    refused(attack(*proof, conclusions=(equal(Integer(1), 1),)), "float")


def test_a_float_in_an_exact_instance_is_refused():
    """An exact instance is exact: ``1 + 10^-20 = 1`` is not."""
    instance = Part("rounding", steps=(Step(Integer(1) + Float(1e-20), 1, "rounds"),))
    refused(attack(chain(Integer(1), Integer(1)), conclusions=(equal(Integer(1), 1),),
                   instances=(instance,)), "float")


def test_intervals_that_differ_in_form_are_not_proved_unequal():
    """``[0, x] != [0, y]`` is false at ``x = y``."""
    left, right = Interval(0, x), Interval(0, y)
    proof = Chain("differ", left, (Link(right, "they differ", relation="!="),))
    refused(attack(proof, conclusions=(Ne(left, right, evaluate=False),)), "witness")


def test_finite_sets_with_a_symbolic_element_are_not_proved_unequal():
    """``{1, 2} != {2, x}`` is false at ``x = 1``."""
    left, right = FiniteSet(1, 2), FiniteSet(2, x)
    proof = Chain("differ", left, (Link(right, "they differ", relation="!="),))
    refused(attack(proof, conclusions=(Ne(left, right, evaluate=False),)), "witness")


def test_a_set_with_a_witness_is_proved_unequal():
    """The positive case: ``x`` lies in ``{x}`` and not in the empty set."""
    proof = Chain("differ", FiniteSet(x), (Link(EmptySet, "x is in one only", relation="!="),))
    assert attack(proof, conclusions=(Ne(FiniteSet(x), EmptySet, evaluate=False),)).check()


def test_a_bound_below_minus_one_does_not_make_a_power_safe():
    """``m >= -1`` allows ``m = -1``: ``Z^m Z = I`` and ``Z = 0`` give ``I = 0``."""
    bound, minus_one, zero = Ge(m, -1), Eq(m, -1), Eq(Z, O_n)
    proof = Chain("I = 0", I_n, (
        Link(MatPow(Z, m) * Z, "m = -1", using=(minus_one,)),
        Link(O_n, "Z = 0", using=(zero,))))
    refused(attack(proof, hypotheses=(bound, minus_one, zero), conclusions=(equal(I_n, O_n),)),
            "unjustified inverse")


def test_a_ones_matrix_to_a_power_of_unknown_sign():
    """``J^m = n^(m-1) J`` for an integer ``m`` of unknown sign (false at ``m = 0``)."""
    power = MatPow(J_n, m)
    refused(attack(chain(power, n**(m - 1) * J_n),
                   conclusions=(equal(power, n**(m - 1) * J_n),)), "unjustified inverse")


def test_a_trace_times_an_invertible_matrix_is_not_invertible_at_trace_zero():
    """``ask`` calls ``tr(X) X`` invertible when ``X`` is: ``G := (tr(X) X)^{-1}`` and
    ``tr(X) = 0`` give ``0 = tr(X) G X = I``."""
    invertible, traceless = Q.invertible(X), Eq(Trace(X), 0)
    G = MatrixSymbol("G", n, n)
    inverse = Define(G, Inverse(Trace(X) * X))
    proof = (inverse, Chain("0 = I", O_n, (
        Link(Trace(X) * G * X, "tr(X) = 0", using=(traceless,)),
        Link(I_n, "G is the inverse of tr(X) X", using=(inverse.definition,)))))
    refused(attack(*proof, hypotheses=(invertible, traceless), conclusions=(equal(O_n, I_n),)),
            "unjustified inverse")


def test_an_orthogonal_tall_matrix_does_not_license_w_w_transpose_inverse():
    """``ask`` reads ``Q.orthogonal(W)`` for a tall ``W`` as making ``W W^T`` invertible;
    it is singular (rank ``k < d``)."""
    inverse = Inverse(W * W.T)
    proof = chain(inverse.T, inverse)
    refused(attack(proof, hypotheses=(Q.orthogonal(W),), conclusions=(equal(inverse.T, inverse),)),
            "unjustified inverse")


# --- Use: a claim uses an earlier checked claim's theorem, by substitution ------------------


def _p2():
    from derivations.claims import claim_by_id
    from derivations.claims.p2_uniqueness import G, H

    return claim_by_id("P2"), G, H


def _pinv(matrix):
    from derivations.notation import PseudoInverse

    return PseudoInverse(matrix)


def test_use_refuses_a_claim_that_comes_later_in_the_table():
    """P1 may not Use P3: a proof never leans on what the document proves after it."""
    from derivations.claims import claim_by_id
    from derivations.engine import Use

    P3 = claim_by_id("P3")
    (conclusion,) = P3.conclusions[:1]
    substitution = {}
    claim = Claim(id="P1", title="an attack", statement=prose("circular"),
                  hypotheses=P3.hypotheses, conclusions=(conclusion,),
                  proof=(Use(P3, substitution),))
    refused(claim, "does not come before Claim P1")


def test_use_refuses_a_substitution_of_the_wrong_shape():
    """``H := W`` is ``d x k``; P2's ``H`` is ``k x d``."""
    from derivations.engine import Use

    P2, G, H = _p2()
    refused(attack(Use(P2, {G: _pinv(W), H: W}), conclusions=(equal(_pinv(W), W),)),
            "the theorem needs k x d")


def test_use_refuses_when_a_hypothesis_is_not_known():
    """Nothing says ``W^T`` satisfies the Penrose conditions, so P2 gives nothing."""
    from derivations.engine import Use

    P2, G, H = _p2()
    refused(attack(Use(P2, {G: _pinv(W), H: W.T}), conclusions=(equal(_pinv(W), W.T),)),
            "is not known here")


def test_use_refuses_a_value_that_breaks_a_symbols_assumption():
    """P2's size ``d`` is a positive integer; ``s`` is only an integer."""
    from derivations.engine import Use

    P2, G, H = _p2()
    s = Symbol("s", integer=True)
    V = MatrixSymbol("V", s, k)
    refused(attack(Use(P2, {d: s, W: V, G: _pinv(V), H: V.T}),
                   conclusions=(equal(_pinv(V), V.T),)),
            "is not known to be positive")


def test_use_refuses_a_claim_that_does_not_check():
    """A 'P2' without Penrose condition 3 does not check, so nothing may use it."""
    from derivations.claims.p2_uniqueness import uniqueness
    from derivations.engine import Use

    _, G, H = _p2()
    broken = uniqueness(conditions={1, 2, 4})
    refused(attack(Use(broken, {G: _pinv(W), H: W.T}), conclusions=(equal(_pinv(W), W.T),)),
            "does not check, so it cannot be used")


def test_use_refuses_a_theorem_the_kernel_did_not_make():
    """A copy of P2's theorem with another conclusion is not P2's theorem."""
    import dataclasses

    from derivations.engine import Use

    P2, G, H = _p2()
    forged = dataclasses.replace(P2.theorem(), hypotheses=())
    refused(attack(Use(forged, {G: _pinv(W), H: W.T}), conclusions=(equal(_pinv(W), W.T),)),
            "was not made by the kernel")


def test_use_refuses_a_symbol_the_theorem_does_not_have():
    """Substituting for a symbol P2 does not mention is not an instance of P2."""
    from derivations.engine import Use

    P2, G, H = _p2()
    z = Symbol("z")
    refused(attack(Use(P2, {z: 1, G: _pinv(W), H: W.T}), conclusions=(equal(_pinv(W), W.T),)),
            "is not a symbol of the theorem")
