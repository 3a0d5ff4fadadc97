// Passwords that guessing tools try first. Written by hand (no network here): the commonest passwords
// of leaked lists, and the Chinese patterns among them — repeated or lucky digits (8, 6, 9), dates,
// 520/1314 ("I love you for ever"), pinyin words and names, keyboard walks. Compared lower-cased.
const LIST = `
123456 12345678 123456789 1234567890 12345 1234567 123123 123321 654321 987654321
111111 000000 222222 333333 444444 555555 666666 777777 888888 999999
11111111 00000000 22222222 66666666 88888888 99999999 12341234 11223344 112233 121212
123qwe qwe123 qweasd qweasdzxc qwerty qwerty123 qwertyuiop 1qaz2wsx 1q2w3e4r 1q2w3e
zxcvbnm asdfghjkl asdfgh zxcvbn qazwsx abc123 abc123456 abcd1234 a123456 a12345678
aa123456 aa12345678 a1234567 a123456789 qq123456 qq123456789 1234qwer q1w2e3r4 asd123 asd123456
password password1 password123 passw0rd p@ssw0rd admin admin123 admin888 root 123abc
iloveyou iloveyou1 letmein welcome welcome1 monkey dragon master sunshine princess
football baseball superman batman trustno1 shadow michael jordan23 starwars whatever
woaini woaini1314 woaini520 woaini123 5201314 520520 1314520 52013140 520131400 13145200
woaiwojia woaiwoma wojiushiwo nihao nihao123 wangyang zhangwei liuyang wangwei lijun
aini1314 ilove1314 1314521 521521 5211314 7758521 7758258 168168 16881688 518518
147258 147258369 159357 159753 123654 741852963 963852741 258369 369369 789456
789456123 456789 456123 321321 100200 110110 110120 119119 12301230 31415926
19880808 19900101 19911111 20080808 20000101 19491001 19970701 88889999 66668888 12345679
abcdef abcdefg abcdefgh abcd123 abc12345 aaaaaa aaaaaaaa a11111 a111111 a000000
woaini11 woaini12 ww123456 xx123456 zz123456 qq1234 qazqaz qweqwe asdasd zxczxc
1qaz2wsx3edc zaq12wsx qwe123456 qweqweqwe 123qweasd 123456a 123456aa 123456abc 12345678a
password! changeme secret default guest test test123 test1234 user user123
china china123 beijing shanghai wuhan huawei xiaomi tencent baidu taobao
wangjian liuwei zhangjie zhangmin lixin chenjie yangyang huanghe changcheng zhongguo
tingyuan tingyuan123 dianzi jiayou jiayou123 kuaile kuaile123 xingfu xingfu123 pingan
888888888 666666666 999999999 1111111111 0000000000 8888888888 123456789a abc123456789
q123456 q12345678 w123456 z123456 s123456 l123456 qaz123 wsx123 a5201314 woshishei
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));
