"""Test texts for the tokenizer and model reference data (written for tapir)."""

# Tokenizer strings: whitespace runs, tabs/newlines, long numbers, contractions (any case),
# punctuation runs, emoji (ZWJ sequences too), CJK, Arabic, Cyrillic, accented Latin, mixed
# scripts, code and special-token look-alikes.
TOKENIZER_STRINGS = [
    "",
    " ",
    "  ",
    "   ",
    "\t",
    "\n",
    "\n\n\n",
    "\t\t\tindented with tabs",
    " \n \n  \t mixed   whitespace \t\n",
    "Hello world",
    " Hello world",
    "Hello  world   with    growing     gaps",
    "trailing spaces   ",
    "   leading spaces",
    "line one\nline two\r\nline three\rline four",
    "1",
    "12",
    "123",
    "1234",
    "12345678901234567890",
    "3.14159265358979323846 and -0.0001e-10",
    "Pay $1,234,567.89 by 2024-12-31 at 23:59:59.",
    "The year 1999 and 2000s; 007 agents; 1st 2nd 3rd 4th.",
    "I'm sure it's fine, they're here, we'll see, you've done it, he'd go, don't.",
    "I'M SURE IT'S FINE, THEY'RE HERE, WE'LL SEE, YOU'VE DONE IT, HE'D GO, DON'T.",
    "It'S mIxEd: We'Ll, They'Re, You'Ve, She'D, I'M.",
    "'s 're 've 'll 'd 'm 't '",
    "rock 'n' roll o'clock ''quoted'' '''triple'''",
    "Wait... what?!? No!!! Really??? ---- ==== **** ____ ####",
    "(((nested))) [[brackets]] {{braces}} <<angles>> ..., ;; :: !!",
    "email: someone@example.com, url: https://example.org/path?q=1&r=2#frag",
    "😀",
    "I love pizza 🍕🍕🍕 and 🎉 parties!",
    "Family: 👨‍👩‍👧‍👦, flags: 🇺🇸🇯🇵🇫🇷, skin tones: 👍🏽👋🏿, keycap: 1️⃣, heart: ❤️",
    "日本語のテキストです。東京は大きい都市です。",
    "中文测试：你好，世界！我们今天学习分词。",
    "한국어 문장도 테스트합니다.",
    "مرحبا بالعالم، هذا اختبار للنص العربي.",
    "Привет, мир! Это проверка кириллицы: ёжик, щука, Ёлка.",
    "Ελληνικά: Γειά σου Κόσμε!",
    "Café, naïve, résumé, façade, Ångström, Zürich, São Paulo, Kraków, Ærø.",
    "e\u0301 vs \u00e9 (combining vs precomposed), Å vs A\u030a",
    "Mixed: English, 日本語, русский, العربية, and 123 numbers 😀 in one line.",
    "ThisIsCamelCase and snake_case_name and SCREAMING_CASE and kebab-case-name",
    "def fibonacci(n: int) -> int:\n    if n < 2:\n        return n\n    return fibonacci(n - 1) + fibonacci(n - 2)\n",
    "for (int i = 0; i < 10; ++i) {\n\tprintf(\"%d\\n\", i);\n}",
    "const x = {a: 1, b: [2, 3], c: \"four\"}; // comment\n/* block */",
    "SELECT name, COUNT(*) FROM users WHERE age >= 18 GROUP BY name;",
    "<html><body class=\"main\"><p>Hi &amp; bye</p></body></html>",
    "x**2 + y**2 = z**2; ∑_{i=1}^{n} i = n(n+1)/2; √2 ≈ 1.41421; π ≠ 3; ∞ ≥ ∀x∈ℝ",
    "Roman Ⅻ, superscript x² y³, fractions ½ ¾, circled ①②③, Arabic-Indic ١٢٣٤, Devanagari ४२",
    "नमस्ते दुनिया, यह हिंदी है।",
    "ไทย: สวัสดีชาวโลก",
    "non\u00a0breaking\u2003em\u2009thin\u3000ideographic spaces",
    "zero\u200bwidth\u200djoiner\ufeffbom",
    "control chars: \u0001\u0002\u001b[31mred\u001b[0m",
    "<|im_start|>user\nnot special here<|im_end|>",
    "<repo_name>tapir<file_sep>main.swift",
    "<s>[INST] looks like llama [/INST]</s>",
    "a" * 300,
    "ab " * 100,
    "The quick brown fox jumps over the lazy dog. " * 6,
]

# Teacher-forced texts (each a few hundred tokens).
TEACHER_FORCED_TEXTS = [
    # prose
    """The tapir is a large, herbivorous mammal, similar in shape to a pig, with a short, prehensile nose trunk. Tapirs inhabit jungle and forest regions of South and Central America, and Southeast Asia. They are related to horses and rhinoceroses. Tapirs are active primarily at night, although they sometimes forage during the day. They spend much of their time in and around water, where they swim well, feed on aquatic plants, and escape from predators. Young tapirs have striped and spotted coats that provide camouflage in the dappled light of the forest floor; the pattern fades as they grow older. Because tapirs reproduce slowly, with a single calf born after a pregnancy of about thirteen months, populations recover poorly from hunting and habitat loss. Conservation programs therefore focus on protecting large connected forests, reducing road traffic through reserves, and studying how the animals move across fragmented landscapes. Researchers often use camera traps to count tapirs, because the animals are shy and rarely seen directly. Each photograph records the time, the place, and sometimes the distinctive scars or ear notches that allow individuals to be recognized over years of observation.""",
    # code
    '''import json
from dataclasses import dataclass, field
from typing import Iterable


@dataclass
class Instruction:
    """One instruction with its category and difficulty."""
    text: str
    category: str
    difficulty: float = 0.0
    tags: list[str] = field(default_factory=list)


def load_instructions(path: str) -> list[Instruction]:
    with open(path, encoding="utf-8") as handle:
        rows = json.load(handle)
    return [Instruction(**row) for row in rows]


def hardest(items: Iterable[Instruction], k: int = 5) -> list[Instruction]:
    """Return the k hardest instructions, ties broken by text."""
    return sorted(items, key=lambda item: (-item.difficulty, item.text))[:k]


if __name__ == "__main__":
    data = load_instructions("instructions.json")
    for item in hardest(data):
        print(f"{item.difficulty:5.2f}  {item.category:<12} {item.text}")
''',
    # math
    """Problem: A train leaves the station at 9:15 and travels 180 kilometres at an average speed of 72 km/h. When does it arrive?
Solution: The travel time is 180 / 72 = 2.5 hours, which is 2 hours and 30 minutes. Adding this to 9:15 gives 11:45, so the train arrives at 11:45.
Problem: Solve 3x + 7 = 25 for x.
Solution: Subtract 7 from both sides to get 3x = 18, then divide by 3 to get x = 6. Check: 3 * 6 + 7 = 18 + 7 = 25.
Problem: What is the sum of the first 100 positive integers?
Solution: Pair the numbers as (1 + 100), (2 + 99), and so on. There are 50 pairs, each summing to 101, so the total is 50 * 101 = 5050.
Problem: A rectangle has a perimeter of 46 cm and a length that is 5 cm more than its width. Find its area.
Solution: Let the width be w. Then 2(w + w + 5) = 46, so 4w + 10 = 46 and w = 9. The length is 14, and the area is 9 * 14 = 126 square centimetres.
Problem: Compute 17% of 2,340.
Solution: 0.17 * 2340 = 397.8.""",
    # chat-templated dialogue (special tokens parsed)
    """<|im_start|>system
You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
<|im_start|>user
Can you explain what a hash table is, in simple terms?<|im_end|>
<|im_start|>assistant
A hash table is a way to store pairs of keys and values so that you can find a value quickly when you know its key. It works by running the key through a hash function, which turns the key into a number. That number tells the table which slot, or bucket, to put the value in. When you look the key up later, the table computes the same number and goes straight to that bucket instead of searching through everything. Sometimes two keys land in the same bucket; this is called a collision, and the table handles it by keeping a short list in the bucket or by probing for another free slot.<|im_end|>
<|im_start|>user
What happens when the table gets full?<|im_end|>
<|im_start|>assistant
When a hash table fills up, collisions become more common and lookups slow down. To avoid this, most implementations watch the load factor, which is the number of stored items divided by the number of buckets. When it passes a threshold such as 0.75, the table allocates a larger array, often twice the size, and reinserts every item using the new size. This resizing is expensive once, but it keeps the average cost of each operation low.<|im_end|>
""",
    # multilingual
    """Le renard brun rapide saute par-dessus le chien paresseux. Les tapirs vivent dans les forêts tropicales d'Amérique du Sud et d'Asie du Sud-Est.
Der schnelle braune Fuchs springt über den faulen Hund. Tapire sind große Pflanzenfresser, die gerne im Wasser baden.
El rápido zorro marrón salta sobre el perro perezoso. Los tapires son animales nocturnos y tímidos.
Быстрая коричневая лиса прыгает через ленивую собаку. Тапиры живут в тропических лесах.
敏捷的棕色狐狸跳过了懒狗。貌是一种大型草食性哺乳动物。
素早い茶色の狐がのろまな犬を飛び越える。バクは夜行性の動物です。
빠른 갈색 여우가 게으른 개를 뛰어넘는다.
الثعلب البني السريع يقفز فوق الكلب الكسول.""",
    # structured data / markup
    """{
  "name": "tapir",
  "version": "0.1.0",
  "roles": {
    "student": {"provider": "native", "model_path": "~/.cache/tapir/SmolLM2-135M-Instruct.Q4_1.gguf", "threads": 2},
    "teacher": {"provider": "openai", "base_url": "http://localhost:8080/v1", "max_concurrency": 4},
    "judge": {"provider": "openai", "temperature": 0.0, "max_tokens": 512}
  },
  "curriculum": {"rounds": 3, "per_round": 200, "difficulty": ["judge", "ifd"]},
  "categories": ["math", "coding", "writing", "reasoning", "extraction", "roleplay"]
}
| Round | Instructions | Mean score | Win rate |
|------:|-------------:|-----------:|---------:|
| 1     | 200          | 5.42       | 31.0%    |
| 2     | 200          | 6.10       | 38.5%    |
| 3     | 200          | 6.73       | 44.0%    |""",
    # instructions / list prose
    """How to make a simple loaf of bread:
1. Mix 500 grams of flour, 10 grams of salt and 7 grams of dried yeast in a large bowl.
2. Add 350 millilitres of warm water and stir until a rough dough forms.
3. Knead the dough on a floured surface for about ten minutes, until it is smooth and elastic.
4. Put it back in the bowl, cover it with a damp towel and leave it to rise for an hour, or until doubled in size.
5. Knock it back, shape it into a loaf and place it in a greased tin.
6. Let it rise again for thirty minutes while the oven heats to 220 degrees Celsius.
7. Bake for 30 to 35 minutes. The loaf is done when it sounds hollow when tapped underneath.
Tips: use a little olive oil for a softer crust, add seeds or herbs to the dough, and always let the bread cool on a rack before slicing it, because the crumb keeps cooking as the steam escapes.""",
    # story / dialogue
    """"Are you sure this is the right path?" asked Mira, pushing a branch out of her face.
"Not at all," said Tomas cheerfully. "But the map says the river is east, and the moss grows on the north side of the trees, so we're going the right way. Probably."
They walked on in silence for a while. The forest grew darker and the air smelled of wet earth. Somewhere ahead, water was running over stones.
"Listen," Mira whispered. "Something is moving in the water."
They crept forward and parted the ferns. In the shallow river stood a tapir, its long nose curling as it pulled leaves from an overhanging branch. It looked at them calmly, chewed, and then, with surprising grace, turned and waded away downstream.
"I've never seen one before," Tomas said softly. "I didn't think they were real."
"They're real," said Mira, smiling. "They're just very good at not being seen."
They sat on the bank until the light began to fade, hoping it would come back. It didn't, but neither of them minded.""",
    # shell / logs
    """$ swift build -c release
Building for production...
[1/12] Compiling TapirCore ChatMessage.swift
[12/12] Linking tapir
Build complete! (41.27s)
$ ./tapir generate --model ~/.cache/tapir/SmolLM2-135M-Instruct.Q4_1.gguf --max-tokens 64 "Name three colours."
Red, green and blue.
prefill: 31 tokens in 0.08 s (387.5 tok/s), decode: 7 tokens in 0.07 s (100.0 tok/s)
2026-11-21T19:45:03Z INFO engine: round=1 stage=answer done=200/200 failed=0 elapsed=00:03:12
2026-11-21T19:48:41Z WARN llm: teacher returned HTTP 429, retrying in 2.0 s (attempt 2/5)
2026-11-21T19:48:43Z INFO llm: teacher ok after retry, latency=1.83s tokens_in=412 tokens_out=158""",
]

# Greedy-generation prompts (user messages; rendered with the model's ChatML template).
GREEDY_PROMPTS = [
    "What is the capital of France?",
    "Write a haiku about the ocean.",
    "Explain photosynthesis in two sentences.",
    "List three fruits that are red.",
    "What is 12 times 7?",
    "Write a Python function that reverses a string.",
    "Translate 'good morning' into Spanish and French.",
    "Give me a short tip for better sleep.",
    "Who wrote Romeo and Juliet?",
    "Summarize the plot of Cinderella in one sentence.",
    "What are the three states of matter?",
    "Describe a tapir to a child.",
    "Why is the sky blue?",
    "Write a SQL query that counts rows in a table named users.",
]

# Conversations for chat-template references.
CHAT_CONVERSATIONS = [
    [{"role": "user", "content": "Hello!"}],
    [{"role": "system", "content": "You are a terse assistant."}, {"role": "user", "content": "What is 2+2?"}],
    [
        {"role": "system", "content": "You answer in French."},
        {"role": "user", "content": "  Good morning  "},
        {"role": "assistant", "content": "Bonjour !"},
        {"role": "user", "content": "How are you?\nFine?"},
    ],
    [
        {"role": "user", "content": "First question"},
        {"role": "assistant", "content": "First answer"},
        {"role": "user", "content": "Second question"},
    ],
]
