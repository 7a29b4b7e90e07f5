package design

// The direction numbers below are the first 100 rows (dimensions 2..101,
// every primitive polynomial up to degree 9) of new-joe-kuo-6.21201 by
// Stephen Joe and Frances Y. Kuo; dimension 1 is the van der Corput
// sequence, which the file does not list. Their licence:
//
// Copyright (c) 2008, Frances Y. Kuo and Stephen Joe
// All rights reserved.
//
// Redistribution and use in source and binary forms, with or without
// modification, are permitted provided that the following conditions are
// met:
//
//   - Redistributions of source code must retain the above copyright
//     notice, this list of conditions and the following disclaimer.
//
//   - Redistributions in binary form must reproduce the above copyright
//     notice, this list of conditions and the following disclaimer in the
//     documentation and/or other materials provided with the distribution.
//
//   - Neither the names of the copyright holders nor the names of the
//     University of New South Wales and the University of Waikato
//     and its contributors may be used to endorse or promote products derived
//     from this software without specific prior written permission.
//
// THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS ``AS IS'' AND ANY
// EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
// WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
// DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDERS BE LIABLE FOR ANY
// DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
// DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS
// OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
// HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT,
// STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN
// ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
// POSSIBILITY OF SUCH DAMAGE.

// MaxSobolDimensions is the number of Sobol sequence dimensions this package
// can generate: one more than the rows of joeKuoDirections. A Saltelli design
// uses two dimensions per factor, so it holds at most MaxSobolDimensions/2
// factors.
const MaxSobolDimensions = len(joeKuoDirections) + 1

// sobolPolynomial is one row of new-joe-kuo-6.21201: the degree s of a
// primitive polynomial over GF(2), its inner coefficients a (bits a_1..a_{s-1},
// most significant first), and the initial direction integers m_1..m_s.
type sobolPolynomial struct {
	degree int
	a      uint32
	m      []uint32
}

// joeKuoDirections holds dimensions 2 and up; the trailing comment is the
// dimension d as numbered in the file.
var joeKuoDirections = [...]sobolPolynomial{
	{1, 0, []uint32{1}},                                    // 2
	{2, 1, []uint32{1, 3}},                                 // 3
	{3, 1, []uint32{1, 3, 1}},                              // 4
	{3, 2, []uint32{1, 1, 1}},                              // 5
	{4, 1, []uint32{1, 1, 3, 3}},                           // 6
	{4, 4, []uint32{1, 3, 5, 13}},                          // 7
	{5, 2, []uint32{1, 1, 5, 5, 17}},                       // 8
	{5, 4, []uint32{1, 1, 5, 5, 5}},                        // 9
	{5, 7, []uint32{1, 1, 7, 11, 19}},                      // 10
	{5, 11, []uint32{1, 1, 5, 1, 1}},                       // 11
	{5, 13, []uint32{1, 1, 1, 3, 11}},                      // 12
	{5, 14, []uint32{1, 3, 5, 5, 31}},                      // 13
	{6, 1, []uint32{1, 3, 3, 9, 7, 49}},                    // 14
	{6, 13, []uint32{1, 1, 1, 15, 21, 21}},                 // 15
	{6, 16, []uint32{1, 3, 1, 13, 27, 49}},                 // 16
	{6, 19, []uint32{1, 1, 1, 15, 7, 5}},                   // 17
	{6, 22, []uint32{1, 3, 1, 15, 13, 25}},                 // 18
	{6, 25, []uint32{1, 1, 5, 5, 19, 61}},                  // 19
	{7, 1, []uint32{1, 3, 7, 11, 23, 15, 103}},             // 20
	{7, 4, []uint32{1, 3, 7, 13, 13, 15, 69}},              // 21
	{7, 7, []uint32{1, 1, 3, 13, 7, 35, 63}},               // 22
	{7, 8, []uint32{1, 3, 5, 9, 1, 25, 53}},                // 23
	{7, 14, []uint32{1, 3, 1, 13, 9, 35, 107}},             // 24
	{7, 19, []uint32{1, 3, 1, 5, 27, 61, 31}},              // 25
	{7, 21, []uint32{1, 1, 5, 11, 19, 41, 61}},             // 26
	{7, 28, []uint32{1, 3, 5, 3, 3, 13, 69}},               // 27
	{7, 31, []uint32{1, 1, 7, 13, 1, 19, 1}},               // 28
	{7, 32, []uint32{1, 3, 7, 5, 13, 19, 59}},              // 29
	{7, 37, []uint32{1, 1, 3, 9, 25, 29, 41}},              // 30
	{7, 41, []uint32{1, 3, 5, 13, 23, 1, 55}},              // 31
	{7, 42, []uint32{1, 3, 7, 3, 13, 59, 17}},              // 32
	{7, 50, []uint32{1, 3, 1, 3, 5, 53, 69}},               // 33
	{7, 55, []uint32{1, 1, 5, 5, 23, 33, 13}},              // 34
	{7, 56, []uint32{1, 1, 7, 7, 1, 61, 123}},              // 35
	{7, 59, []uint32{1, 1, 7, 9, 13, 61, 49}},              // 36
	{7, 62, []uint32{1, 3, 3, 5, 3, 55, 33}},               // 37
	{8, 14, []uint32{1, 3, 1, 15, 31, 13, 49, 245}},        // 38
	{8, 21, []uint32{1, 3, 5, 15, 31, 59, 63, 97}},         // 39
	{8, 22, []uint32{1, 3, 1, 11, 11, 11, 77, 249}},        // 40
	{8, 38, []uint32{1, 3, 1, 11, 27, 43, 71, 9}},          // 41
	{8, 47, []uint32{1, 1, 7, 15, 21, 11, 81, 45}},         // 42
	{8, 49, []uint32{1, 3, 7, 3, 25, 31, 65, 79}},          // 43
	{8, 50, []uint32{1, 3, 1, 1, 19, 11, 3, 205}},          // 44
	{8, 52, []uint32{1, 1, 5, 9, 19, 21, 29, 157}},         // 45
	{8, 56, []uint32{1, 3, 7, 11, 1, 33, 89, 185}},         // 46
	{8, 67, []uint32{1, 3, 3, 3, 15, 9, 79, 71}},           // 47
	{8, 70, []uint32{1, 3, 7, 11, 15, 39, 119, 27}},        // 48
	{8, 84, []uint32{1, 1, 3, 1, 11, 31, 97, 225}},         // 49
	{8, 97, []uint32{1, 1, 1, 3, 23, 43, 57, 177}},         // 50
	{8, 103, []uint32{1, 3, 7, 7, 17, 17, 37, 71}},         // 51
	{8, 115, []uint32{1, 3, 1, 5, 27, 63, 123, 213}},       // 52
	{8, 122, []uint32{1, 1, 3, 5, 11, 43, 53, 133}},        // 53
	{9, 8, []uint32{1, 3, 5, 5, 29, 17, 47, 173, 479}},     // 54
	{9, 13, []uint32{1, 3, 3, 11, 3, 1, 109, 9, 69}},       // 55
	{9, 16, []uint32{1, 1, 1, 5, 17, 39, 23, 5, 343}},      // 56
	{9, 22, []uint32{1, 3, 1, 5, 25, 15, 31, 103, 499}},    // 57
	{9, 25, []uint32{1, 1, 1, 11, 11, 17, 63, 105, 183}},   // 58
	{9, 44, []uint32{1, 1, 5, 11, 9, 29, 97, 231, 363}},    // 59
	{9, 47, []uint32{1, 1, 5, 15, 19, 45, 41, 7, 383}},     // 60
	{9, 52, []uint32{1, 3, 7, 7, 31, 19, 83, 137, 221}},    // 61
	{9, 55, []uint32{1, 1, 1, 3, 23, 15, 111, 223, 83}},    // 62
	{9, 59, []uint32{1, 1, 5, 13, 31, 15, 55, 25, 161}},    // 63
	{9, 62, []uint32{1, 1, 3, 13, 25, 47, 39, 87, 257}},    // 64
	{9, 67, []uint32{1, 1, 1, 11, 21, 53, 125, 249, 293}},  // 65
	{9, 74, []uint32{1, 1, 7, 11, 11, 7, 57, 79, 323}},     // 66
	{9, 81, []uint32{1, 1, 5, 5, 17, 13, 81, 3, 131}},      // 67
	{9, 82, []uint32{1, 1, 7, 13, 23, 7, 65, 251, 475}},    // 68
	{9, 87, []uint32{1, 3, 5, 1, 9, 43, 3, 149, 11}},       // 69
	{9, 91, []uint32{1, 1, 3, 13, 31, 13, 13, 255, 487}},   // 70
	{9, 94, []uint32{1, 3, 3, 1, 5, 63, 89, 91, 127}},      // 71
	{9, 103, []uint32{1, 1, 3, 3, 1, 19, 123, 127, 237}},   // 72
	{9, 104, []uint32{1, 1, 5, 7, 23, 31, 37, 243, 289}},   // 73
	{9, 109, []uint32{1, 1, 5, 11, 17, 53, 117, 183, 491}}, // 74
	{9, 122, []uint32{1, 1, 1, 5, 1, 13, 13, 209, 345}},    // 75
	{9, 124, []uint32{1, 1, 3, 15, 1, 57, 115, 7, 33}},     // 76
	{9, 137, []uint32{1, 3, 1, 11, 7, 43, 81, 207, 175}},   // 77
	{9, 138, []uint32{1, 3, 1, 1, 15, 27, 63, 255, 49}},    // 78
	{9, 143, []uint32{1, 3, 5, 3, 27, 61, 105, 171, 305}},  // 79
	{9, 145, []uint32{1, 1, 5, 3, 1, 3, 57, 249, 149}},     // 80
	{9, 152, []uint32{1, 1, 3, 5, 5, 57, 15, 13, 159}},     // 81
	{9, 157, []uint32{1, 1, 1, 11, 7, 11, 105, 141, 225}},  // 82
	{9, 167, []uint32{1, 3, 3, 5, 27, 59, 121, 101, 271}},  // 83
	{9, 173, []uint32{1, 3, 5, 9, 11, 49, 51, 59, 115}},    // 84
	{9, 176, []uint32{1, 1, 7, 1, 23, 45, 125, 71, 419}},   // 85
	{9, 181, []uint32{1, 1, 3, 5, 23, 5, 105, 109, 75}},    // 86
	{9, 182, []uint32{1, 1, 7, 15, 7, 11, 67, 121, 453}},   // 87
	{9, 185, []uint32{1, 3, 7, 3, 9, 13, 31, 27, 449}},     // 88
	{9, 191, []uint32{1, 3, 1, 15, 19, 39, 39, 89, 15}},    // 89
	{9, 194, []uint32{1, 1, 1, 1, 1, 33, 73, 145, 379}},    // 90
	{9, 199, []uint32{1, 3, 1, 15, 15, 43, 29, 13, 483}},   // 91
	{9, 218, []uint32{1, 1, 7, 3, 19, 27, 85, 131, 431}},   // 92
	{9, 220, []uint32{1, 3, 3, 3, 5, 35, 23, 195, 349}},    // 93
	{9, 227, []uint32{1, 3, 3, 7, 9, 27, 39, 59, 297}},     // 94
	{9, 229, []uint32{1, 1, 3, 9, 11, 17, 13, 241, 157}},   // 95
	{9, 230, []uint32{1, 3, 7, 15, 25, 57, 33, 189, 213}},  // 96
	{9, 234, []uint32{1, 1, 7, 1, 9, 55, 73, 83, 217}},     // 97
	{9, 236, []uint32{1, 3, 3, 13, 19, 27, 23, 113, 249}},  // 98
	{9, 241, []uint32{1, 3, 5, 3, 23, 43, 3, 253, 479}},    // 99
	{9, 244, []uint32{1, 1, 5, 5, 11, 5, 45, 117, 217}},    // 100
	{9, 253, []uint32{1, 3, 3, 7, 29, 37, 33, 123, 147}},   // 101
}
