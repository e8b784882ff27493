package dev.recur.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Matmul;
import dev.recur.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParametersTest {
    @Test
    void keepsTheGivenOrderAndLooksUpByName() {
        Map<String, Tensor> map = new LinkedHashMap<>();
        map.put("z", Tensor.zeros(2, 3).requiresGrad(true));
        map.put("a", Tensor.zeros(4).requiresGrad(true));
        Parameters params = Parameters.of(map);
        assertThat(params.list()).extracting(NamedParameter::name).containsExactly("z", "a");
        assertThat(params.get("a").value().size()).isEqualTo(4);
        assertThat(params.get("missing")).isNull();
        assertThat(params.numel()).isEqualTo(10);
        params.get("a").value().gradBuffer()[0] = 1f;
        params.zeroGrad();
        assertThat(params.get("a").gradData()).isNull();
    }

    @Test
    void rejectsDuplicatesNonLeavesFrozenTensorsAndBadNames() {
        Tensor t = Tensor.zeros(2).requiresGrad(true);
        assertThatThrownBy(() -> Parameters.of(List.of(new NamedParameter("w", t), new NamedParameter("w", t))))
                .isInstanceOf(RecurException.class).hasMessageContaining("'w'").hasMessageContaining("more than once");
        Tensor product = Matmul.matmul(Tensor.zeros(1, 2).requiresGrad(true), Tensor.zeros(2, 2));
        assertThatThrownBy(() -> new NamedParameter("p", product)).hasMessageContaining("'p'")
                .hasMessageContaining("matmul");
        assertThatThrownBy(() -> new NamedParameter("frozen", Tensor.zeros(2))).hasMessageContaining("'frozen'")
                .hasMessageContaining("requiresGrad");
        assertThatThrownBy(() -> new NamedParameter("a b", t)).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> new NamedParameter("", t)).hasMessageContaining("non-empty name");
    }
}
